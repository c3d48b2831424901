"""The province's review queue, the list of reports and the completeness of a month per county."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from factories.models import LateEntryGrant, MonthlyReport
from factories.selectors.entry import operating_factories
from factories.selectors.months import entry_deadline
from regional import scoping


def review_queue(*, user) -> QuerySet[MonthlyReport]:
    """Submitted reports the user may review, oldest submission first."""
    return (
        scoping.reviewable_reports(user)
        .filter(status=MonthlyReport.Status.SUBMITTED)
        .select_related("factory__county", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def report_list(*, user) -> QuerySet[MonthlyReport]:
    return scoping.visible_reports(user).select_related("factory__county__province").order_by("-month", "factory")


# --- completeness -------------------------------------------------------------------------------------


@dataclass
class MissingReport:
    """A factory whose report of the month is not submitted: nothing entered, or a draft; and whether an
    administrator allowed its late entry."""

    factory_name: str
    factory_code: str
    draft_id: int | None
    late_entry_granted: bool

    def __str__(self) -> str:
        return self.factory_name


@dataclass
class CountyCompleteness:
    county_id: int
    county_name: str
    province_name: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0
    missing_count: int = 0
    returned_count: int = 0
    # Named only for those who see the workflow (scoping.sees_report_workflow); analysts get the counts.
    missing_factories: list["MissingReport"] = field(default_factory=list)
    returned_factories: list["MissingReport"] = field(default_factory=list)
    is_demo: bool = False  # generated demo factories (labelled DEMO on the page)

    @property
    def submitted_percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def completeness(*, user, month: datetime.date, province_id: int | None = None) -> list[CountyCompleteness]:
    """Per county in the user's scope: reports expected for `month`, submitted, on time, approved, and
    which factories have not reported or were returned (counts only, for a user who does not see the workflow).
    Three queries whatever the number of counties."""
    names_factories = scoping.sees_report_workflow(user)
    counties = scoping.completeness_counties(user).select_related("province")
    if province_id:
        counties = counties.filter(province_id=province_id)
    factories = operating_factories(scoping.visible_factories(user), month).filter(county__in=counties)
    deadline_end = timezone.make_aware(datetime.datetime.combine(entry_deadline(month), datetime.time.max))
    report_counts = (
        scoping.completeness_reports(user)
        .filter(month=month, factory__in=factories)
        .values("factory__county_id")
        .annotate(
            submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            on_time=Count("pk", filter=Q(first_submitted_at__lte=deadline_end)),
            approved=Count("pk", filter=Q(status=MonthlyReport.Status.APPROVED)),
        )
    )
    rows: dict[int, CountyCompleteness] = {}
    factory_rows = (
        factories.annotate(
            is_reported=Count("reports", filter=Q(reports__month=month, reports__first_submitted_at__isnull=False)),
            is_returned=Count("reports", filter=Q(reports__month=month, reports__status=MonthlyReport.Status.RETURNED)),
            report_id=Subquery(MonthlyReport.objects.filter(factory=OuterRef("pk"), month=month).values("pk")[:1]),
            has_late_entry_grant=Exists(LateEntryGrant.objects.filter(factory=OuterRef("pk"), month=month)),
        )
        .select_related("county__province")
        .order_by("county__province__code", "county__name_en", "name")
    )
    for factory in factory_rows:
        row = rows.setdefault(
            factory.county_id,
            CountyCompleteness(factory.county_id, str(factory.county), str(factory.county.province)),
        )
        row.expected += 1
        row.is_demo = row.is_demo or factory.is_demo
        if not factory.is_reported:
            row.missing_count += 1
            if names_factories:
                row.missing_factories.append(
                    MissingReport(factory.name, factory.code, factory.report_id, factory.has_late_entry_grant)
                )
        elif factory.is_returned:
            row.returned_count += 1
            if names_factories:
                row.returned_factories.append(
                    MissingReport(factory.name, factory.code, factory.report_id, factory.has_late_entry_grant)
                )
    for counts in report_counts:
        row = rows.get(counts["factory__county_id"])
        if row is not None:
            row.submitted, row.on_time, row.approved = counts["submitted"], counts["on_time"], counts["approved"]
    return sorted(rows.values(), key=lambda row: (row.province_name, row.county_name))
