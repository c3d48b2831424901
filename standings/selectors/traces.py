"""The trace of a figure of a run (county × indicator, or the composite): everything needed to redo it by hand.

The sums, goalposts, score and weights come from the run itself, so everyone who can read the standings sees
them. The factory-months behind the sums are rebuilt from the reports' recorded history as it stood at the run's
cut-off (django-simple-history), never from today's rows; they are shown only within the reader's reporting scope
(`regional.scoping`). Rebuilding them is a second, independent reading of DESIGN.md's rules: its totals must equal
the sums the run stored (tests/standings/test_traces.py).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import AnnualPlan, Factory, MonthlyPlan, MonthlyReport
from factories.selectors import entry_deadline
from regional import scoping
from regional.models import County
from standings.computation.arithmetic import exact_text, parse_exact, round_half_up
from standings.models import CountyStanding, Indicator, StandingsRun

COMPOSITE = "composite"
TRACE_TARGETS = [*Indicator.values, COMPOSITE]
INDICATOR_LABELS = dict(Indicator.choices)


@dataclass
class TraceRow:
    factory: str
    factory_code: str
    month: datetime.date | None
    numerator: Decimal | int | None
    denominator: Decimal | int | Fraction | None
    is_included: bool
    note: str = ""
    first_submitted_at: datetime.datetime | None = None
    deadline: datetime.date | None = None


@dataclass
class CompositeLine:
    indicator: str
    label: str
    weight: Decimal
    score: Decimal | None

    @property
    def weighted(self) -> Decimal | None:
        return None if self.score is None else self.weight * self.score


@dataclass
class FigureTrace:
    run: StandingsRun
    standing: CountyStanding
    target: str
    label: str
    numerator: Fraction | None = None
    denominator: Fraction | None = None
    ratio: Fraction | None = None
    goalpost_min: Fraction | None = None
    goalpost_max: Fraction | None = None
    score: Decimal | None = None
    weight: Decimal | None = None
    composite_lines: list[CompositeLine] = field(default_factory=list)
    rows: list[TraceRow] = field(default_factory=list)
    rows_visible: bool = False
    rows_not_recorded: int = 0

    @property
    def is_composite(self) -> bool:
        return self.target == COMPOSITE

    @property
    def unrounded_score(self) -> Fraction | None:
        if self.ratio is None or self.goalpost_min is None or self.goalpost_max is None:
            return None
        if self.goalpost_max == self.goalpost_min:
            return Fraction(100)
        return (self.ratio - self.goalpost_min) * 100 / (self.goalpost_max - self.goalpost_min)

    @property
    def included_numerator(self):
        return sum((row.numerator for row in self.rows if row.is_included and row.numerator is not None), 0)

    @property
    def included_denominator(self):
        return sum((row.denominator for row in self.rows if row.is_included and row.denominator is not None), 0)

    @property
    def weight_sum(self) -> Decimal:
        return sum((line.weight for line in self.composite_lines if line.score is not None), Decimal(0))

    @property
    def weighted_sum(self) -> Decimal:
        return sum((line.weighted for line in self.composite_lines if line.score is not None), Decimal(0))

    @property
    def unrounded_composite(self) -> Fraction | None:
        return Fraction(self.weighted_sum) / Fraction(self.weight_sum) if self.weight_sum else None

    @property
    def ratio_text(self) -> str | None:
        return exact_text(self.ratio)

    @property
    def ratio_rounded(self) -> Decimal | None:
        return None if self.ratio is None else round_half_up(self.ratio, 9)


def figure_trace(*, user, run_id: int, county_slug: str, target: str) -> FigureTrace:
    """The trace of one figure of a published v1.1 run; 404 for anything unknown (never a form error)."""
    if target not in TRACE_TARGETS:
        raise Http404
    standing = (
        scoping.visible_county_standings(user)
        .filter(run_id=run_id, county__slug=county_slug)
        .select_related("run", "run__methodology", "county", "county__province")
        .first()
    )
    if standing is None or not standing.run.is_v1_1:
        raise Http404
    run = standing.run
    trace = FigureTrace(
        run=run,
        standing=standing,
        target=target,
        label=INDICATOR_LABELS.get(target, ""),
    )
    weights = {indicator: Decimal(str(run.weights[indicator])) for indicator in Indicator.values}
    if target == COMPOSITE:
        trace.composite_lines = [
            CompositeLine(
                indicator=indicator,
                label=INDICATOR_LABELS[indicator],
                weight=weights[indicator],
                score=standing.score(indicator),
            )
            for indicator in Indicator.values
        ]
        return trace
    sums = standing.sums.get(target, {})
    trace.numerator = parse_exact(sums.get("numerator"))
    trace.denominator = parse_exact(sums.get("denominator"))
    if trace.denominator:
        trace.ratio = trace.numerator / trace.denominator - (1 if target == Indicator.GROWTH else 0)
    goalposts = run.goalposts.get(target, {})
    trace.goalpost_min = parse_exact(goalposts.get("min"))
    trace.goalpost_max = parse_exact(goalposts.get("max"))
    trace.score = standing.score(target)
    trace.weight = weights[target]
    trace.rows_visible = scoping.reports_visible_in_county(user, standing.county_id)
    if trace.rows_visible:
        trace.rows, trace.rows_not_recorded = _rows(user, run, standing.county, target)
    return trace


# --- the factory-months, as they stood at the cut-off -----------------------------------------------------------


def _month_end(month: datetime.date) -> datetime.date:
    following = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _deadline_end(month: datetime.date, zone) -> datetime.datetime:
    return datetime.datetime.combine(entry_deadline(month) + datetime.timedelta(days=1), datetime.time.min, zone)


def _reports_at_cutoff(user, factory_ids: list[int], year: int, cutoff_at) -> tuple[dict, int]:
    """(factory id, month) → the report's recorded state at the cut-off; and how many reports have no recorded
    state then (created by a bulk load without history and changed since)."""
    start, end = datetime.date(year - 1, 1, 1), datetime.date(year + 1, 1, 1)
    states: dict[int, object] = {}
    history = (
        scoping.visible_report_history(user)
        .filter(factory_id__in=factory_ids, month__gte=start, month__lt=end, history_date__lte=cutoff_at)
        .order_by("history_date", "history_id")
    )
    for record in history:
        states[record.id] = None if record.history_type == "-" else record
    # A report loaded without history (bulk loads) and not changed since the cut-off stood then as it stands now.
    current = scoping.visible_reports(user).filter(factory_id__in=factory_ids, month__gte=start, month__lt=end)
    not_recorded = 0
    for report in current.exclude(pk__in=list(states)):
        if report.updated_at <= cutoff_at:
            states[report.pk] = report
        else:
            not_recorded += 1
    by_month = {}
    for state in states.values():
        if state is not None:
            by_month[(state.factory_id, state.month)] = state
    return by_month, not_recorded


def _is_counted(state, cutoff_at) -> bool:
    return (
        state is not None
        and state.status == MonthlyReport.Status.APPROVED
        and state.approved_at is not None
        and state.approved_at <= cutoff_at
    )


def _monthly_plans(user, factory_ids: list[int], year: int) -> dict[int, tuple[AnnualPlan, dict[int, Decimal] | None]]:
    """Factory id → (annual plan, its split when the split is valid: twelve months summing to the plan)."""
    visible = scoping.visible_annual_plans(user).filter(factory_id__in=factory_ids, year=year)
    plans = {plan.factory_id: plan for plan in visible}
    splits: dict[int, dict[int, Decimal]] = {}
    for monthly in MonthlyPlan.objects.filter(annual_plan__in=[plan.pk for plan in plans.values()]):
        splits.setdefault(monthly.annual_plan_id, {})[monthly.month_number] = monthly.planned_output_value_thousand_won
    result = {}
    for factory_id, plan in plans.items():
        split = splits.get(plan.pk)
        total = plan.planned_output_value_thousand_won
        is_valid = split is not None and len(split) == 12 and sum(split.values()) == total
        result[factory_id] = (plan, split if is_valid else None)
    return result


def _rows(user, run: StandingsRun, county: County, target: str) -> tuple[list[TraceRow], int]:
    zone = timezone.get_default_timezone()
    cutoff_at, year = run.cutoff_at, run.year
    factories = list(
        scoping.visible_factories(user)
        .filter(
            county=county,
            status__in=[Factory.Status.COMMISSIONED, Factory.Status.IN_OPERATION],
            commissioned_on__isnull=False,
        )
        .order_by("name", "pk")
    )
    ids = [factory.pk for factory in factories]
    states, not_recorded = _reports_at_cutoff(user, ids, year, cutoff_at)
    plans = _monthly_plans(user, ids, year)

    def operating_months(factory, of_year):
        for number in range(1, 13):
            month = datetime.date(of_year, number, 1)
            if factory.commissioned_on <= _month_end(month) and cutoff_at >= _deadline_end(month, zone):
                yield month

    rows: list[TraceRow] = []
    for factory in factories:
        if target == Indicator.PRODUCT_RANGE:
            counted = [
                states[(factory.pk, month)]
                for month in operating_months(factory, year)
                if _is_counted(states.get((factory.pk, month)), cutoff_at)
            ]
            if not counted:
                continue
            best = max(counted, key=lambda state: (state.varieties_produced, -state.month.toordinal()))
            plan = plans.get(factory.pk, (None, None))[0]
            planned = plan.planned_varieties if plan else None
            rows.append(
                TraceRow(
                    factory=factory.name,
                    factory_code=factory.code,
                    month=best.month,
                    numerator=best.varieties_produced,
                    denominator=planned,
                    is_included=bool(planned),
                    note="" if planned else _("no plan or zero planned varieties: left out of both sums"),
                )
            )
            continue
        previous_counted = {
            month.month: states[(factory.pk, month)]
            for month in operating_months(factory, year - 1)
            if _is_counted(states.get((factory.pk, month)), cutoff_at)
        }
        for month in operating_months(factory, year):
            state = states.get((factory.pk, month))
            is_counted = _is_counted(state, cutoff_at)
            if target == Indicator.REPORTING_DISCIPLINE:
                deadline_end = _deadline_end(month, zone)
                on_time = is_counted and state.first_submitted_at < deadline_end
                rows.append(
                    TraceRow(
                        factory=factory.name,
                        factory_code=factory.code,
                        month=month,
                        numerator=1 if on_time else 0,
                        denominator=1,
                        is_included=True,
                        note=""
                        if on_time
                        else (_("first submitted after the deadline") if is_counted else _("no approved report")),
                        first_submitted_at=state.first_submitted_at if is_counted else None,
                        deadline=entry_deadline(month),
                    )
                )
                continue
            if not is_counted:
                continue
            if target == Indicator.PLAN_FULFILMENT:
                plan, split = plans.get(factory.pk, (None, None))
                planned = None
                if plan is not None:
                    planned = (
                        Fraction(split[month.month]) if split else Fraction(plan.planned_output_value_thousand_won) / 12
                    )
                included = bool(planned)
                rows.append(
                    TraceRow(
                        factory=factory.name,
                        factory_code=factory.code,
                        month=month,
                        numerator=state.output_value_thousand_won,
                        denominator=planned,
                        is_included=included,
                        note=""
                        if included
                        else (_("zero plan: left out of both sums") if plan else _("no plan: left out of both sums")),
                    )
                )
            elif target == Indicator.GROWTH:
                before = previous_counted.get(month.month)
                rows.append(
                    TraceRow(
                        factory=factory.name,
                        factory_code=factory.code,
                        month=month,
                        numerator=state.output_value_thousand_won,
                        denominator=before.output_value_thousand_won if before else None,
                        is_included=before is not None,
                        note="" if before else _("the same month of the previous year was not counted"),
                    )
                )
            elif target == Indicator.LOCAL_RAW_MATERIALS:
                rows.append(
                    TraceRow(
                        factory=factory.name,
                        factory_code=factory.code,
                        month=month,
                        numerator=state.raw_material_from_own_bases_tonnes,
                        denominator=state.raw_material_used_tonnes,
                        is_included=True,
                    )
                )
    return rows, not_recorded
