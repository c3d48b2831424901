"""The Korean catalogue: every string of the interface has its Korean, the server loads what the translators
wrote, and a Korean reader gets Korean pages."""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from factories.selectors import entry_deadline, first_of_month
from tests.builders import FactoryBuilder
from tests.conftest import client_for

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]")


def _entries(path: Path = CATALOGUE / "django.po"):
    """The live entries of the .po file (obsolete `#~` ones left out), each a dict of its keywords
    (msgctxt, msgid, msgid_plural, msgstr, msgstr[0] …) with their decoded text, plus its set of flags."""
    entries, entry, keyword = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, keyword = None, None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry = entry or {"flags": set()}
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            entry = entry or {"flags": set()}
        elif line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
        else:
            entry = entry or {"flags": set()}
            keyword, _, literal = line.partition(" ")
            entry[keyword] = ast.literal_eval(literal)
    return [entry for entry in entries if entry["msgid"]]  # the header is not a message


def _translations(entry):
    return {keyword: text for keyword, text in entry.items() if keyword.startswith("msgstr")}


def test_every_string_of_the_interface_has_its_korean():
    # Given the Korean catalogue as makemessages leaves it
    entries = _entries()

    # Then no string is left for the Korean reader to see in English, and no guessed (fuzzy) one is left unchecked
    untranslated = [entry["msgid"] for entry in entries if not all(_translations(entry).values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert len(entries) > 500
    assert untranslated == [], f"{len(untranslated)} strings without Korean: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy translations to check: {fuzzy[:10]}"


def test_every_translation_keeps_the_placeholders_of_its_english():
    # A translation that drops or misspells %(name)s breaks the page it is on
    wrong = []
    for entry in _entries():
        if "python-format" not in entry["flags"]:
            continue
        english = entry.get("msgid_plural", entry["msgid"])  # Korean's one form serves every count
        for text in _translations(entry).values():
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english)):
                wrong.append((entry["msgid"], text))
    assert wrong == []


def test_the_compiled_catalogue_the_server_loads_says_what_the_po_file_says():
    # Given the catalogue translators edit and the compiled one Django reads
    expected = {}
    for entry in _entries():
        if "fuzzy" in entry["flags"] or not all(_translations(entry).values()):
            continue  # msgfmt leaves these out
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for keyword, text in _translations(entry).items():
                expected[(key, int(keyword[len("msgstr[") : -1]))] = text
        else:
            expected[key] = entry["msgstr"]
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)
    compiled.pop("", None)  # the header

    # Then they hold the same messages with the same Korean: the .mo was compiled after the last .po change
    stale = sorted(str(key) for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key))
    assert stale == [], f"django.mo is out of date (run compilemessages -l ko): {stale[:10]}"


def test_a_korean_browser_gets_the_county_officials_page_in_korean(client, alice):
    # Given a county official whose browser asks for Korean
    client_for(client, alice)

    # When she opens her monthly entry page
    response = client.get(reverse("reports:this_month"), HTTP_ACCEPT_LANGUAGE="ko")

    # Then the page, its headings and its buttons are Korean, with her county's name filled in
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in page
    assert "<h1>이달</h1>" in page
    assert f"{alice.county.name_ko} 공장들의 월별 생산 보고서." in page  # 시험군: the county's Korean name
    assert "우리 보고서 전체" in page
    assert "Monthly production reports" not in page


def test_dates_and_states_follow_the_readers_language(client, alice, alpha_county):
    # Given a county official with a factory that has not reported this month
    FactoryBuilder(county=alpha_county)
    month = first_of_month(timezone.localdate())
    deadline = entry_deadline(month)
    client_for(client, alice)

    # When she reads her month in Korean, then in English
    korean = client.get(reverse("reports:this_month"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    english = client.get(reverse("reports:this_month"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Then Korean dates read year, month, day and the report's state is Korean
    assert f"{month.year}년 {month.month}월" in korean
    assert f"{deadline.year}년 {deadline.month}월 {deadline.day}일" in korean
    assert ">미제출<" in korean
    # And English keeps the house's day-first dates
    assert f"{deadline.day} {deadline:%B} {deadline.year}" in english
    assert ">missing<" in english


def test_place_names_follow_the_readers_language(client, erin, alpha_county):
    # Given a province whose Korean name the reference data knows (Northland: 시험도)
    province = alpha_county.province
    client_for(client, erin)

    # When an analyst lists the counties in Korean, then in English
    korean = client.get(reverse("county_list"), {"q": "Alpha"}, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    english = client.get(reverse("county_list"), {"q": "Alpha"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Then the province column reads in the page's language (the county's own cell shows both scripts)
    assert f">{province.name_ko}</a>" in korean and f">{province.name_en}</a>" not in korean
    assert f">{province.name_en}</a>" in english
