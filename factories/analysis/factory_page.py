"""One factory's page: output against plan by month, varieties, own and bought raw material, its reports, its
milestones and the months above its design capacity. A constant number of queries whatever its history."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min

from factories.models import ConstructionMilestone, Factory, MonthlyPlan, MonthlyReport
from factories.selectors.plans import planned_month_value
from regional import scoping

MONTHS = range(1, 13)


@dataclass
class FactoryMonth:
    month: datetime.date
    report: MonthlyReport | None = None
    planned_output_value: Decimal | None = None

    @property
    def output_value(self):
        return self.report.output_value_thousand_won if self.report else None

    @property
    def against_plan(self) -> Decimal | None:
        """Output ÷ plan of the month, exactly (shown rounded to 0.1 %)."""
        if self.output_value is None or not self.planned_output_value:
            return None
        return self.output_value / self.planned_output_value

    @property
    def bought_raw_material(self):
        if not self.report:
            return None
        return self.report.raw_material_used_tonnes - self.report.raw_material_from_own_bases_tonnes


@dataclass
class FactoryPage:
    factory: Factory
    year: int
    years: list[int]
    months: list[FactoryMonth] = field(default_factory=list)
    reports: list[MonthlyReport] = field(default_factory=list)
    milestones: list[ConstructionMilestone] = field(default_factory=list)
    annual_plan: object = None
    shows_approved_only: bool = True

    @property
    def monthly_capacity(self) -> Decimal | None:
        capacity = self.factory.design_capacity
        return capacity / 12 if capacity is not None else None

    @property
    def months_above_capacity(self) -> list[FactoryMonth]:
        limit = self.monthly_capacity
        if limit is None:
            return []
        return [row for row in self.months if row.report and row.report.physical_output > limit]

    @property
    def totals(self) -> dict:
        reported = [row for row in self.months if row.report]
        planned = [row for row in reported if row.planned_output_value]
        output = sum((row.output_value for row in planned), Decimal(0))
        plan = sum((row.planned_output_value for row in planned), Decimal(0))
        own = sum((row.report.raw_material_from_own_bases_tonnes for row in reported), Decimal(0))
        used = sum((row.report.raw_material_used_tonnes for row in reported), Decimal(0))
        return {
            "months": len(reported),
            "output": sum((row.output_value for row in reported), Decimal(0)),
            "output_planned_months": output,
            "plan": plan,
            "against_plan": output / plan if plan else None,
            "own": own,
            "used": used,
            "own_share": own / used if used else None,
            "most_varieties": max((row.report.varieties_produced for row in reported), default=None),
        }

    def chart_data(self) -> dict:
        """Numbers as strings (exact decimals), for Chart.js through a JSON script element."""

        def text(value):
            return None if value is None else str(value)

        return {
            "labels": [f"{row.month:%Y-%m}" for row in self.months],
            "output": [text(row.output_value) for row in self.months],
            "plan": [text(row.planned_output_value) for row in self.months],
            "own": [text(row.report.raw_material_from_own_bases_tonnes) if row.report else None for row in self.months],
            "bought": [text(row.bought_raw_material) for row in self.months],
        }


def factory_page(*, user, code: str, year: int | None = None) -> FactoryPage:
    factory = scoping.get_in_scope_or_404(
        scoping.visible_factories(user).select_related("county__province", "programme_slot__programme_round"),
        code=code,
    )
    reports = scoping.visible_reports(user).filter(factory=factory)
    # The figures are approved ones for every reader, so that they agree with the standings and the pivot.
    approved = reports.filter(status=MonthlyReport.Status.APPROVED)
    bounds = approved.aggregate(first=Min("month"), last=Max("month"))
    years = list(range(bounds["first"].year, bounds["last"].year + 1)) if bounds["first"] else []
    if year not in years:
        year = years[-1] if years else datetime.date.today().year
    by_month = {report.month.month: report for report in approved.filter(month__year=year)}
    annual_plan = scoping.visible_annual_plans(user).filter(factory=factory, year=year).first()
    split = {}
    if annual_plan is not None:
        split = dict(
            MonthlyPlan.objects.filter(annual_plan=annual_plan).values_list(
                "month_number", "planned_output_value_thousand_won"
            )
        )
    page = FactoryPage(factory=factory, year=year, years=years, annual_plan=annual_plan)
    for number in MONTHS:
        plan = None
        if annual_plan is not None:
            plan = planned_month_value(annual_plan.planned_output_value_thousand_won, split, number)
        page.months.append(FactoryMonth(datetime.date(year, number, 1), by_month.get(number), plan))
    page.reports = list(reports.select_related("submitted_by", "approved_by").order_by("-month")[:24])
    milestone_filter = scoping.visible_milestones(user).filter(factory=factory)
    if factory.programme_slot_id:
        milestone_filter = milestone_filter | scoping.visible_milestones(user).filter(
            programme_slot_id=factory.programme_slot_id, factory__isnull=True
        )
    page.milestones = list(milestone_filter.order_by("planned_date", "kind"))
    return page
