"""Demo rows say so in the API and its CSV download, as in the page exports."""

import pytest

from tests.builders import FactoryBuilder, MonthlyReportBuilder

pytestmark = pytest.mark.django_db


def test_the_reports_api_and_its_csv_mark_generated_rows(frank, as_user, alpha_county):
    real_factory = FactoryBuilder(code="alpha-real", county=alpha_county)
    demo_factory = FactoryBuilder(code="alpha-demo", county=alpha_county, is_demo=True)
    MonthlyReportBuilder(factory=real_factory)
    MonthlyReportBuilder(factory=demo_factory)
    client = as_user(frank)

    rows = client.get("/api/v1/reports/").json()["results"]
    header, *lines = client.get("/api/v1/reports/?format=csv").content.decode().splitlines()

    assert {row["factory"]: row["is_demo"] for row in rows} == {"alpha-real": False, "alpha-demo": True}
    assert header.endswith(",is_demo")
    assert sorted(line.split(",")[1] + ":" + line.rsplit(",", 1)[1] for line in lines) == [
        "alpha-demo:true",
        "alpha-real:false",
    ]
