"""The review queue takes each waiting report's median in the database; it must be exactly the median the
report's own review page takes in Python from the same approved months (odd and even windows, gaps, months
outside the window, other factories' months)."""

import datetime
import random
from decimal import Decimal

import pytest

from factories.selectors.entry import approved_output_medians, approved_outputs_before, output_median
from factories.selectors.months import add_months
from tests.builders import FactoryBuilder, MonthlyReportBuilder

pytestmark = pytest.mark.django_db


def test_each_waiting_reports_median_and_count_are_those_of_its_own_twelve_months():
    # Given three factories with approved months from 2023 on, some missing, with values of two decimals
    generator = random.Random(11)
    factories = [FactoryBuilder(code=f"median-{number}") for number in range(3)]
    waiting = []
    for factory in factories:
        for offset in range(30):
            month = add_months(datetime.date(2023, 1, 1), offset)
            if generator.random() < 0.25:
                continue  # a month never approved: windows of every length, odd and even
            value = Decimal(generator.randrange(1, 5_000_000)) / 100
            if offset >= 24 and generator.random() < 0.6:
                waiting.append(MonthlyReportBuilder(factory=factory, month=month, submitted=True))
            else:
                MonthlyReportBuilder(factory=factory, month=month, approved=True, output_value_thousand_won=value)
    # and one waiting report with nothing approved before it
    waiting.append(
        MonthlyReportBuilder(factory=FactoryBuilder(code="median-new"), month=datetime.date(2025, 6, 1), submitted=True)
    )

    # When the medians are taken in the database for the waiting reports
    medians = approved_output_medians([report.pk for report in waiting])

    # Then each equals the median (and the count) of its own window's values taken in Python
    windows = approved_outputs_before([report.pk for report in waiting])
    expected = {pk: (output_median(values), len(values)) for pk, values in windows.items() if values}
    assert medians == expected
    assert {months % 2 for _median, months in medians.values()} == {0, 1}
    assert waiting[-1].pk not in medians
