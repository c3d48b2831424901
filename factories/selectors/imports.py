"""What the CSV import page offers: a month for the template, the factories the user may import for it and a
real factory code as the page's example."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from factories.models import Factory, MonthlyReport
from factories.selectors.entry import operating_factories
from factories.selectors.months import add_months, month_in_progress
from regional import scoping


def import_template_month(text: str | None = None) -> datetime.date:
    """The month named `YYYY-MM` when it has ended (only ended months can be imported), else the last ended one."""
    latest = add_months(month_in_progress(), -1)
    try:
        month = datetime.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return latest
    return month if datetime.date(2000, 1, 1) <= month <= latest else latest


def import_template_factories(*, user, month: datetime.date) -> QuerySet[Factory]:
    """The factories whose report of `month` the user may import: in their scope, in operation that month and
    not already approved (an approved report is not overwritten by an import)."""
    approved = MonthlyReport.objects.filter(factory=OuterRef("pk"), month=month, status=MonthlyReport.Status.APPROVED)
    return (
        operating_factories(scoping.importable_factories(user), month)
        .exclude(Exists(approved))
        .select_related("county")
        .order_by("county__name_en", "kind", "name", "pk")
    )


def import_example_factory_code(*, user) -> str | None:
    """A factory code from the user's own scope for the page's example; None when they have no factory."""
    return scoping.importable_factories(user).order_by("code").values_list("code", flat=True).first()
