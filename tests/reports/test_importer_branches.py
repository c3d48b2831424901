"""The importer's refusals of a file's shape: an empty file, a header with missing or unknown columns, a line
with the wrong number of values, and a factory that was not in operation in the month."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from factories import services
from factories.models import MonthlyReport
from tests.builders import FactoryBuilder

pytestmark = pytest.mark.django_db

COLUMNS = (
    "factory_code,month,output_value_thousand_won,physical_output,varieties_produced,raw_material_used_tonnes,"
    "raw_material_from_own_bases_tonnes,days_worked,workers_on_roll"
)
GOOD_LINE = "alpha-foodstuff,2025-03,10000,100,15,80,60,24,120"


def errors_of(user, content: str) -> list[tuple[int, str]]:
    _report_import, parsed = services.report_import_preview(user=user, file_name="reports.csv", content=content)
    return [(error.line, error.message) for error in parsed.errors]


def test_an_empty_file_is_refused_as_empty(carol, alpha_factory):
    assert errors_of(carol, "") == [(1, "The file is empty.")]


def test_a_header_naming_missing_and_unknown_columns_says_which(carol, alpha_factory):
    header = COLUMNS.replace(",days_worked", "") + ",colour"

    assert errors_of(carol, f"{header}\n{GOOD_LINE}\n") == [
        (1, "Header: missing columns: days_worked; unknown columns: colour.")
    ]


def test_a_line_with_too_few_or_too_many_values_is_named_with_both_counts(carol, alpha_factory):
    content = "\n".join(
        [COLUMNS, GOOD_LINE, "alpha-foodstuff,2025-04,10000,100", GOOD_LINE.replace("03", "05") + ",x,y"]
    )

    assert errors_of(carol, content + "\n") == [
        (3, "4 values for 9 columns."),
        (4, "11 values for 9 columns."),
    ]


def test_a_month_before_the_factory_operated_is_refused_on_its_line(carol, alpha_county):
    FactoryBuilder(code="alpha-new", county=alpha_county, commissioned_on=datetime.date(2025, 4, 1))
    content = "\n".join([COLUMNS, "alpha-new,2025-03,10000,100,15,80,60,24,120", "alpha-new,2025-04,1,1,1,1,1,1,1"])

    assert errors_of(carol, content + "\n") == [(2, "the factory was not in operation in March 2025")]


def test_a_refused_file_cannot_be_committed_and_changes_nothing(carol, alpha_factory):
    report_import, _parsed = services.report_import_preview(user=carol, file_name="reports.csv", content="")

    with pytest.raises(ValidationError):
        services.report_import_commit(report_import=report_import, user=carol)

    assert not MonthlyReport.objects.exists()
