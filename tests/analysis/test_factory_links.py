"""A factory's name links to its page wherever a page shows it: every signed-in reader may open any factory's page
(`scoping.may_open_factory_pages`), so the name is always a link for them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from factories.models import Facility, LateEntryGrant
from factories.selectors import add_months, first_of_month
from standings.services import standings_recompute
from tests.builders import AnnualPlanBuilder, FactoryBuilder, MonthlyReportBuilder, SlotBuilder
from tests.conftest import client_for
from tests.standings.data import plan, reports

NAME = "Alpha Foodstuff Factory"
CODE = "alpha-foodstuff"
MISSING_NAME = "Alpha Garment Factory"
MISSING_CODE = "alpha-garment"


@pytest.fixture
def shown(alpha_county, frank, settings):
    """One factory with a 2025 year of approved reports (a standings run), a report waiting for review last month,
    a site that built it, and a second factory that has not reported last month (and may enter it late)."""
    settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END = 40  # last month is still open for entry whatever today is
    slot = SlotBuilder(county=alpha_county)
    factory = FactoryBuilder(code=CODE, name=NAME, county=alpha_county, programme_slot=slot)
    missing = FactoryBuilder(code=MISSING_CODE, name=MISSING_NAME, county=alpha_county, kind="garment")
    Facility.objects.create(
        programme_slot=slot, kind="foodstuff", name="Foodstuff factory", factory=factory, source="https://example.org"
    )
    plan(factory, annual_value="120000", varieties=20)
    reports(factory, output="12000", varieties=18, own="60")
    last_month = add_months(first_of_month(timezone.localdate()), -1)
    AnnualPlanBuilder(factory=factory, year=last_month.year)
    waiting = MonthlyReportBuilder(factory=factory, month=last_month, submitted=True)
    LateEntryGrant.objects.create(
        factory=missing,
        month=add_months(last_month, -3),
        reason="Power cut.",
        granted_by=frank,
        granted_at=timezone.now(),
    )
    run = standings_recompute(year=2025, cutoff_at=timezone.now()).run
    return {"report": waiting, "month": last_month, "run": run, "county": alpha_county}


PAGES = [
    ("review queue", "carol", lambda s: reverse("reports:review_queue"), NAME),
    ("report list", "erin", lambda s: reverse("reports:report_list"), NAME),
    ("report page", "carol", lambda s: reverse("reports:report_detail", args=[s["report"].pk]), NAME),
    ("this month", "alice", lambda s: reverse("reports:this_month") + f"?month={s['month']:%Y-%m}", NAME),
    ("report entry", "alice", lambda s: reverse("reports:report_entry", args=[MISSING_CODE, s["month"]]), MISSING_NAME),
    (
        "completeness, who has not reported",
        "carol",
        lambda s: reverse("reports:completeness") + f"?month={s['month']:%Y-%m}&gaps=1",
        MISSING_NAME,
    ),
    ("province home, who has not reported", "carol", lambda s: reverse("home"), MISSING_NAME),
    ("province home, waiting for review", "carol", lambda s: reverse("home"), NAME),
    ("county home", "alice", lambda s: reverse("home"), MISSING_NAME),
    ("county page", "erin", lambda s: reverse("county_detail", args=[s["county"].slug]), NAME),
    ("site page", "erin", lambda s: reverse("sites:site_detail", args=[s["county"].slug]), NAME),
    (
        "standings trace",
        "erin",
        lambda s: reverse("standings:trace", args=[s["run"].pk, s["county"].slug, "plan_fulfilment"]),
        NAME,
    ),
    ("search results", "erin", lambda s: reverse("search") + "?q=Alpha+Foodstuff", NAME),
]


@pytest.mark.parametrize(("page", "persona", "url", "name"), PAGES, ids=[page[0] for page in PAGES])
def test_the_factory_name_links_to_the_factory_page(client, shown, page, persona, url, name, request):
    client_for(client, request.getfixturevalue(persona))
    response = client.get(url(shown))
    assert response.status_code == 200
    code = CODE if name == NAME else MISSING_CODE
    html = response.content.decode()
    link = re.compile(rf'<a[^>]*href="{re.escape(reverse("factory_detail", args=[code]))}"[^>]*>{name}</a>')
    assert link.search(html), f"{name} is not a link to its page on the {page}"
    # And the page it links to opens for this reader.
    assert client.get(reverse("factory_detail", args=[code])).status_code == 200


def test_the_late_entry_page_links_the_factory(client, frank, shown):
    client_for(client, frank)
    month = add_months(first_of_month(timezone.localdate()), -4)
    response = client.get(reverse("reports:late_entry_reopen", args=[MISSING_CODE, month]))
    assert response.status_code == 200
    assert f'<a class="factory-link" href="/factories/{MISSING_CODE}/">{MISSING_NAME}</a>' in response.content.decode()
