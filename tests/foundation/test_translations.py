"""The Korean catalogue: every string of the interface has its Korean, the server loads what the translators
wrote, and a Korean reader gets Korean pages."""

import ast
import gettext
import re
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from factories import services
from factories.filters import ReportFilter
from factories.forms import MonthlyReportForm, ReasonForm, ReportImportForm
from factories.models import CAPACITY_UNIT_LABELS
from factories.selectors import add_months, entry_deadline, first_of_month
from factories.selectors.fields import FIGURE_LABELS
from factories.selectors.history import HISTORY_KINDS
from tests.builders import FactoryBuilder
from tests.conftest import client_for

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES"
VERSION_TAG = re.compile(r"v\d+(?:\.\d+)*")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]")


@pytest.fixture(autouse=True)
def language_restored_afterwards():
    """A Korean request leaves Korean active in this thread; the next test must start in the default again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


# --- labels that come from code, not templates ------------------------------------------------------------


def _english_and_korean(label) -> tuple[str, str]:
    with translation.override("en"):
        english = str(label)
    with translation.override("ko"):
        return english, str(label)


def _labels_from_code() -> dict[str, str]:
    """English → Korean of every label a page takes from code: model field names and choices, form and filter
    labels, the report's figure and history labels, units."""
    labels = [*FIGURE_LABELS.values(), *HISTORY_KINDS.values(), *CAPACITY_UNIT_LABELS.values()]
    for app in ("regional", "factories", "standings"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):  # django-simple-history's own tables and labels
                continue
            for field in model._meta.get_fields():
                verbose_name = getattr(field, "verbose_name", None)
                if isinstance(verbose_name, Promise):
                    labels.append(verbose_name)
                labels += [label for _value, label in getattr(field, "flatchoices", None) or []]
    for form in (MonthlyReportForm, ReasonForm, ReportImportForm):
        labels += [field.label for field in form.base_fields.values() if field.label]
    labels += [report_filter.label for report_filter in ReportFilter.base_filters.values() if report_filter.label]
    pairs = dict(_english_and_korean(label) for label in labels if label)
    # Acronyms (CSV, XLSX) and version tags (the methodology's rules, v1.1) read the same in both languages.
    return {
        english: korean
        for english, korean in pairs.items()
        if len(english) > 2 and not english.isupper() and not VERSION_TAG.fullmatch(english)
    }


def test_every_label_that_comes_from_code_has_its_korean():
    # A label the catalogue does not hold (e.g. marked with an alias makemessages cannot see) stays English
    untranslated = sorted(english for english, korean in _labels_from_code().items() if english == korean)
    assert untranslated == []


def _visible_text(html: str, *, without_language_switch: bool = False) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    if without_language_switch:
        # The switch names each language in itself ("English", "한국어") so a reader finds their own.
        html = re.sub(r'<form\b[^>]*class="langswitch".*?</form>', " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
def test_key_pages_in_korean_show_no_english_label_for_any_role(
    client, settings, alice, carol, erin, frank, alpha_county
):
    # Given a report of Alpha's foodstuff factory that went to the province and came back with a reason (last
    # month's: only an ended month can be submitted; its entry period lengthened so it is open on any day)
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 40
    factory = FactoryBuilder(county=alpha_county, name="Alpha Foodstuff Factory", capacity_unit="tonnes")
    month = add_months(first_of_month(timezone.localdate()), -1)
    figures = {
        "output_value_thousand_won": "10000",
        "physical_output": "100",
        "varieties_produced": 15,
        "raw_material_used_tonnes": "80",
        "raw_material_from_own_bases_tonnes": "60",
        "days_worked": 24,
        "workers_on_roll": 120,
        "comment": "새 공장의 첫 달입니다.",
    }
    report = services.report_save_draft(factory=factory, month=month, data=figures, user=alice)
    services.report_save_draft(factory=factory, month=month, data={"days_worked": 20}, user=alice)
    report = services.report_submit(
        report=services.report_save_draft(factory=factory, month=month, data={}, user=alice), user=alice
    )
    services.report_return(report=report, user=carol, reason="보고서를 확인하세요.")
    report_page = reverse("reports:report_detail", args=[report.pk])
    entry_page = reverse("reports:report_entry", args=[factory.code, month])
    pages = {
        alice: [reverse("reports:this_month"), report_page, entry_page, reverse("reports:report_list")],
        carol: [
            reverse("reports:review_queue"),
            report_page,
            reverse("reports:report_list"),
            reverse("reports:completeness"),
        ],
        erin: [
            reverse("reports:report_list"),
            reverse("reports:completeness"),
            reverse("schedule"),
            reverse("county_detail", args=[alpha_county.slug]),
        ],
        frank: [report_page, reverse("reports:report_list"), reverse("reports:completeness")],
    }
    english_labels = [english for english, korean in _labels_from_code().items() if english != korean]

    # When each of them reads their pages in Korean
    found = []
    for user, urls in pages.items():
        client_for(client, user)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
            assert response.status_code == 200, url
            text = _visible_text(response.content.decode(), without_language_switch=True)
            found += [
                f"{user.username} {url}: {english!r}"
                for english in english_labels
                if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text)
            ]

    # Then no label from a model, a form or the report's history is left in English
    assert found == [], "\n".join(found)


def test_the_schedules_rule_departures_name_provinces_and_counties_in_korean(client, erin, reference_data):
    client_for(client, erin)

    korean = _visible_text(client.get(reverse("schedule"), HTTP_ACCEPT_LANGUAGE="ko").content.decode())
    english = _visible_text(client.get(reverse("schedule"), HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert "량강도: 2024년에 1개 지역으로 2개가 아닙니다." in korean
    assert "Ryanggang:" not in korean and "North Phyongan:" not in korean
    assert "Ryanggang has 1 locality in 2024, not 2." in english
