"""The months of a standings year, each with its entry deadline in the programme's time zone."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from factories.selectors import entry_deadline


@dataclass(frozen=True)
class Month:
    year: int
    number: int
    start: datetime.date
    next_start: datetime.date
    # A report first submitted before this instant was on time: the end of the deadline's (local) day.
    deadline_exclusive_at: datetime.datetime
    is_closed: bool


def months_of_year(*, year: int, cutoff_at: datetime.datetime) -> list[Month]:
    """The twelve months of `year`, each with its deadline and whether that deadline had passed by the cut-off
    (whatever late entries were allowed)."""
    zone = timezone.get_default_timezone()
    months = []
    for number in range(1, 13):
        start = datetime.date(year, number, 1)
        deadline_end = datetime.datetime.combine(
            entry_deadline(start) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        months.append(
            Month(
                year=year,
                number=number,
                start=start,
                next_start=datetime.date(year + (number == 12), number % 12 + 1, 1),
                deadline_exclusive_at=deadline_end,
                is_closed=cutoff_at >= deadline_end,
            )
        )
    return months
