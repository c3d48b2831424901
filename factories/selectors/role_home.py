"""What a role's home page shows: a county official's tasks, a provincial official's queue and missing counties."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from factories.models import LateEntryGrant, MonthlyReport
from factories.selectors.entry import (
    FactoryMonth,
    county_entry_months,
    county_late_entry_grants,
    county_open_returned_reports,
)
from factories.selectors.months import add_months, entry_deadline, first_of_month
from factories.selectors.queue import QueueRow, ReviewQueue
from factories.selectors.review import CountyCompleteness, completeness, review_queue


@dataclass
class CountyTasks:
    """A county official's open work: reports to enter, returned ones to correct, drafts to finish."""

    due: list[FactoryMonth] = field(default_factory=list)
    returned: list[FactoryMonth | MonthlyReport] = field(default_factory=list)
    drafts: list[FactoryMonth | MonthlyReport] = field(default_factory=list)
    waiting_for_review: int = 0
    late_entries: list[LateEntryGrant] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.due) + len(self.returned) + len(self.drafts) + len(self.late_entries)


def county_tasks(*, user, today: datetime.date | None = None) -> CountyTasks:
    """The county's reports due in the open months, returned, drafts, and late entries allowed; five queries."""
    tasks = CountyTasks(late_entries=list(county_late_entry_grants(user=user)))
    for entry in county_entry_months(user=user, today=today):
        for row in entry.rows:
            if row.state == "missing":
                tasks.due.append(row)
            elif row.state == MonthlyReport.Status.RETURNED:
                tasks.returned.append(row)
            elif row.state == MonthlyReport.Status.DRAFT:
                tasks.drafts.append(row)
            elif row.state == MonthlyReport.Status.SUBMITTED:
                tasks.waiting_for_review += 1
    # Reports reopened by an administrator after their month closed are open work too.
    for report in county_open_returned_reports(user=user):
        (tasks.returned if report.status == MonthlyReport.Status.RETURNED else tasks.drafts).append(report)
    return tasks


@dataclass
class ProvinceDesk:
    """A provincial official's home: the queue at a glance and the counties still missing the month due."""

    queue_count: int
    flagged_count: int
    oldest: list[QueueRow]
    month: datetime.date
    deadline: datetime.date
    missing_counties: list[CountyCompleteness]
    expected: int
    submitted: int


def province_desk(*, user, today: datetime.date | None = None, oldest: int = 5) -> ProvinceDesk:
    """Six queries: the queue's flags and its history, its oldest rows, and completeness (three) of the month
    now being reported."""
    today = today or timezone.localdate()
    queue = ReviewQueue(reports=review_queue(user=user))
    month = add_months(first_of_month(today), -1)
    counties = completeness(user=user, month=month)
    return ProvinceDesk(
        queue_count=len(queue),
        flagged_count=queue.flagged_count,
        oldest=queue.rows(queue.entries[:oldest]),
        month=month,
        deadline=entry_deadline(month),
        missing_counties=[row for row in counties if row.missing_factories],
        expected=sum(row.expected for row in counties),
        submitted=sum(row.submitted for row in counties),
    )
