"""Reports, the review queue, a county and the standings print cleanly on A4 from Chromium: no navigation,
forms or buttons on paper, every table whole (no column cut off at the paper's edge), the DEMO label kept."""

import subprocess

import pytest
from django.core.management import call_command

from factories.demo import demo_password
from factories.models import MonthlyReport
from standings.models import StandingsRun
from standings.views import NATIONAL_PAGE_SIZE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 less the stylesheet's 10 mm side margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTH_PX = round((210 - 2 * 10) / 25.4 * 96)
SCREEN_ONLY = ["Log out", "Filter", "Approve selected", "Return for correction", "Export CSV", "한국어"]

TABLES_OUTSIDE_THE_PAPER = """(width) => [...document.querySelectorAll('main table')]
  .filter((table) => table.getBoundingClientRect().right > width + 1 || table.scrollWidth > table.clientWidth + 1)
  .map((table) => `${table.className || 'table'} ends at ${Math.round(table.getBoundingClientRect().right)} px`)"""


@pytest.fixture
def demo_site(reference_data):
    call_command("seed_demo", verbosity=0)


def pdf_text_and_pages(path) -> tuple[str, int, str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return text, int(fields["Pages"]), fields["Page size"].strip()


def test_the_pages_people_print_come_out_whole_on_a4(demo_site, live_server, browser, tmp_path):
    province_official = "province.south-phyongan"
    report = MonthlyReport.objects.filter(factory__county__province__code="KP-02").order_by("-month", "pk").first()
    run = StandingsRun.objects.order_by("-year", "-created_at").first()
    last_ranked = run.county_standings.filter(is_ranked=True).order_by("rank").last()
    # The national table shows NATIONAL_PAGE_SIZE counties a page: the last ranked one is on the last page.
    last_page = -(-run.county_standings.filter(is_ranked=True).count() // NATIONAL_PAGE_SIZE)
    # (address, what must be on paper, most pages it may take)
    pages = [
        (f"/reports/{report.pk}/", [report.factory.name, "Output value (thousand won)", "DEMO"], 2),
        ("/reports/review/", ["Review queue", "DEMO"], 4),
        ("/counties/kp-south-phyongan-songchon/", ["Songchon", "Construction milestones", "DEMO"], 3),
        # The last ranked county of the nation: the whole table is printed, with its last column.
        (
            f"/standings/?year={run.year}&page={last_page}",
            [last_ranked.county.name_en, str(last_ranked.composite), "DISCIPLINE"],
            10,
        ),
        (f"/standings/provinces/KP-02/?year={run.year}", ["South Phyongan", "COMPOSITE"], 3),
    ]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", province_official)
    page.fill("#id_password", demo_password(province_official))
    page.click("form button[type=submit].btn")
    page.wait_for_url(lambda url: "/login/" not in url)

    problems = []
    for number, (url, expected_texts, most_pages) in enumerate(pages):
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.goto(live_server.url + url).status == 200
        # On paper: as wide as the A4 printable area, print media rules in force
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINTABLE_WIDTH_PX, "height": 1100})
        problems += [f"{url}: {table}" for table in page.evaluate(TABLES_OUTSIDE_THE_PAPER, PRINTABLE_WIDTH_PX)]
        pdf = tmp_path / f"page-{number}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)

        text, page_count, size = pdf_text_and_pages(pdf)
        flat_text = " ".join(text.split())
        assert "(A4)" in size
        if page_count > most_pages:
            problems.append(f"{url}: {page_count} pages, expected at most {most_pages}")
        problems += [f"{url}: missing {expected!r}" for expected in expected_texts if expected not in flat_text]
        problems += [f"{url}: shows {screen_only!r}" for screen_only in SCREEN_ONLY if screen_only in flat_text]
    context.close()

    assert problems == [], "\n".join(problems)
