"""Half-year and year-end reviews: their figures are the sums of the reports and standings they summarise."""

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from factories.models import MonthlyReport
from regional.models import ReviewDocument, User
from regional.sites.reviews import review_build
from regional.tasks import review_document_build_task
from standings.models import CountyStanding
from standings.services import standings_recompute
from tests.builders import (
    AnnualPlanBuilder,
    FactoryBuilder,
    MonthlyReportBuilder,
    RoundBuilder,
    SlotBuilder,
    UserBuilder,
)
from tests.conftest import client_for

SHOTS = Path("/tmp/shots/sites")
TODAY = datetime.date(2025, 7, 15)


@pytest.fixture
def northland_2025(alpha_county, beta_county):
    """Alpha: a 2025 site inaugurated in June, one factory with a plan of 1,200 (100 a month) and approved reports
    for January–March (100, 120, 50); April is only submitted. Beta: a factory without any report."""
    slot = SlotBuilder(
        programme_round=RoundBuilder(year=2025),
        county=alpha_county,
        groundbreaking_date=datetime.date(2025, 2, 27),
        groundbreaking_precision="day",
        inauguration_date=datetime.date(2025, 6, 20),
        inauguration_precision="day",
    )
    factory = FactoryBuilder(county=alpha_county, programme_slot=slot, commissioned_on=datetime.date(2024, 1, 1))
    AnnualPlanBuilder(factory=factory, year=2025, planned_output_value_thousand_won=Decimal("1200"))
    for month, value in ((1, "100"), (2, "120"), (3, "50")):
        MonthlyReportBuilder(
            factory=factory,
            month=datetime.date(2025, month, 1),
            output_value_thousand_won=Decimal(value),
            approved=True,
        )
    MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 4, 1), submitted=True)
    FactoryBuilder(county=beta_county, commissioned_on=datetime.date(2025, 5, 10))
    return slot


def test_half_year_review_sums_the_approved_reports_against_the_plan_of_the_same_months(northland_2025, erin):
    # When Northland's half-year review of 2025 is written on 15 July 2025
    review = review_build(user=erin, year=2025, period="half", scope="KP-61", today=TODAY)

    # Then it counts the site (broken ground, inaugurated), both factories in operation, the approved output of
    # January–March (270) against their plan (3 × 100), and the reports approved of those expected
    assert (len(review.sites), review.sites_broken_ground, review.sites_inaugurated) == (1, 1, 1)
    assert review.factories_in_operation == 2
    assert review.output_value_thousand_won == Decimal("270")
    assert review.planned_value_thousand_won == Decimal("300")
    assert review.plan_fulfilment_percent == Decimal("90.0")
    # Alpha's factory: January–June (6 months ended); Beta's: commissioned 10 May, so May and June
    assert (review.reports_approved, review.reports_expected) == (3, 8)
    assert review.completeness_percent == Decimal("37.5")


def test_review_lists_the_standings_of_its_counties_from_the_latest_run(northland_2025, erin):
    # Given the standings of 2025 computed from the same reports
    run = standings_recompute(year=2025).run

    # When the year-end review is written
    review = review_build(user=erin, year=2025, period="year", scope="KP-61", today=datetime.date(2025, 12, 31))

    # Then it shows exactly the run's standings of Northland's counties
    expected = list(
        CountyStanding.objects.filter(run=run, county__province__code="KP-61").values_list("county__slug", "rank")
    )
    assert sorted((s.county.slug, s.rank) for s in review.standings) == sorted(expected)
    assert review.standings_run == run


def test_review_pdf_in_english_and_korean_carries_the_figures_and_an_embedded_korean_font(
    northland_2025, client, erin, tmp_path
):
    # Given Erin asks for Northland's half-year review as PDF, in English and then in Korean
    client_for(client, erin)
    url = reverse("sites:review_generate")
    data = {"year": "2025", "period": "half", "scope": "KP-61"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="ko").status_code == 302

    # When the worker writes them (run here in-process: the task is what a worker runs)
    for document in ReviewDocument.objects.order_by("pk"):
        review_document_build_task(document.pk)

    # Then both are PDFs with the figures, the Korean one with its CJK font embedded, readable back as text
    english, korean = ReviewDocument.objects.order_by("pk")
    assert (english.language, korean.language, english.status, korean.status) == ("en", "ko", "done", "done")
    (tmp_path / "en.pdf").write_bytes(bytes(english.pdf))
    (tmp_path / "ko.pdf").write_bytes(bytes(korean.pdf))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "en.pdf"), "-"], capture_output=True, text=True)
    assert "Half-year review 2025" in text.stdout
    assert "Northland" in text.stdout
    assert "270.00" in text.stdout
    fonts = subprocess.run(["pdffonts", str(tmp_path / "ko.pdf")], capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK-KR" in fonts and " yes yes " in fonts
    text_ko = subprocess.run(["pdftotext", str(tmp_path / "ko.pdf"), "-"], capture_output=True, text=True).stdout
    assert "상반년 총화 2025" in text_ko
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(tmp_path / "ko.pdf"), str(SHOTS / "test-review-ko")],
        check=True,
    )
    assert (SHOTS / "test-review-ko-1.png").stat().st_size > 10_000
    # And the PDF is downloaded by the one who asked for it, and by nobody else
    response = client.get(reverse("sites:review_document", args=[english.pk]), {"download": "1"})
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_the_national_review_is_written_by_the_task_province_by_province(reference_data):
    # Given an analyst asked for the national year-end review of 2025
    analyst = UserBuilder(username="nina", role=User.Role.ANALYST)
    document = ReviewDocument.objects.create(
        year=2025, period="year", scope="national", language="en", requested_by=analyst
    )

    # When the task runs (twice: it is idempotent)
    review_document_build_task(document.pk)
    review_document_build_task(document.pk)

    # Then every one of the 13 provinces was counted as done, and the PDF is there
    document.refresh_from_db()
    assert (document.status, document.progress_done, document.progress_total) == ("done", 13, 13)
    assert bytes(document.pdf).startswith(b"%PDF")


def test_reviews_are_refused_to_county_officials_and_to_other_provinces(northland_2025, client, alice, dave):
    client_for(client, alice)
    assert client.get(reverse("sites:review_index")).status_code == 403
    assert client.get(reverse("sites:review_detail", args=[2025, "half", "KP-61"])).status_code == 403
    client_for(client, dave)
    assert client.get(reverse("sites:review_detail", args=[2025, "half", "KP-61"])).status_code == 403
    assert client.get(reverse("sites:review_detail", args=[2025, "half", "KP-62"])).status_code == 200
    assert client.get(reverse("sites:review_detail", args=[2025, "decade", "KP-62"])).status_code == 404
    assert MonthlyReport.objects.count() == 4


def test_review_api_gives_the_same_figures_and_the_pdf_link(northland_2025, erin):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(erin)

    body = client.get("/api/v1/reviews/2025/half/KP-61/").json()

    assert body["sites"] == 1
    assert body["factories_in_operation"] == 2
    assert body["pdf_url"] is None
    assert client.get("/api/v1/reviews/2025/half/KP-99/").status_code == 404
    assert client.get("/api/v1/reviews/2025/decade/KP-61/").status_code == 404
