"""Statement 2 of a run, in exact arithmetic: indicators, goalposts, scores, composite and ranks (DESIGN.md v1.1).

Ratios are `Fraction`s of the exact sums; goalposts are the exact lowest and highest ratio over the ranked
counties; only the scores and the composite are rounded, half-up to 2 decimals, before ranking. The result does
not depend on the order of the rows (goalposts are min/max, ranks count strictly better composites).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from standings.computation.arithmetic import exact_text, round_half_up
from standings.computation.sums import CountyInputs
from standings.models import Indicator, NotRankedReason

INDICATORS = Indicator.values
HUNDRED = Fraction(100)


@dataclass
class CountyResult:
    inputs: CountyInputs
    is_eligible: bool
    ratios: dict[str, Fraction | None]
    sums: dict[str, dict[str, str | None]]
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    composite: Decimal | None = None
    rank: int | None = None
    province_rank: int | None = None

    @property
    def is_ranked(self) -> bool:
        return self.composite is not None

    @property
    def not_ranked_reason(self) -> str:
        if self.is_ranked:
            return ""
        if self.inputs.operating_months == 0:
            return NotRankedReason.NO_OPERATING_MONTHS
        if not self.is_eligible:
            return NotRankedReason.TOO_FEW_COUNTED_MONTHS
        return NotRankedReason.NO_WEIGHTED_INDICATOR

    def stored_value(self, indicator: str) -> Decimal | None:
        """The ratio as stored and shown: half-up to 6 decimals (nothing is computed from it)."""
        ratio = self.ratios[indicator]
        return None if ratio is None else round_half_up(ratio, 6)


@dataclass
class YearResult:
    counties: list[CountyResult]
    goalposts: dict[str, dict[str, str | None]]


def _ratio(numerator: int | None, denominator: int | None) -> Fraction | None:
    if not denominator or numerator is None:
        return None
    return Fraction(numerator, denominator)


def _hundredths_text(value: int | None) -> str | None:
    return None if value is None else exact_text(Fraction(value, 100))


def county_ratios(row: CountyInputs) -> tuple[dict[str, Fraction | None], dict[str, dict[str, str | None]]]:
    """The county's five exact ratios, and the sums each came from in the units a reader adds them up in."""
    plan_planned = (
        None if row.plan_planned_twelfth_hundredths is None else Fraction(row.plan_planned_twelfth_hundredths, 1200)
    )
    plan_output = None if row.plan_output_hundredths is None else Fraction(row.plan_output_hundredths, 100)
    growth = _ratio(row.growth_current_hundredths, row.growth_previous_hundredths)
    ratios = {
        Indicator.PLAN_FULFILMENT: (plan_output / plan_planned) if plan_planned and plan_output is not None else None,
        Indicator.GROWTH: None if growth is None else growth - 1,
        Indicator.PRODUCT_RANGE: _ratio(row.best_varieties, row.planned_varieties),
        Indicator.LOCAL_RAW_MATERIALS: _ratio(row.raw_material_own_hundredths, row.raw_material_used_hundredths),
        Indicator.REPORTING_DISCIPLINE: _ratio(row.on_time_factory_months, row.operating_factory_months),
    }
    sums = {
        Indicator.PLAN_FULFILMENT: {"numerator": exact_text(plan_output), "denominator": exact_text(plan_planned)},
        Indicator.GROWTH: {
            "numerator": _hundredths_text(row.growth_current_hundredths),
            "denominator": _hundredths_text(row.growth_previous_hundredths),
        },
        Indicator.PRODUCT_RANGE: {
            "numerator": None if row.best_varieties is None else str(row.best_varieties),
            "denominator": None if row.planned_varieties is None else str(row.planned_varieties),
        },
        Indicator.LOCAL_RAW_MATERIALS: {
            "numerator": _hundredths_text(row.raw_material_own_hundredths),
            "denominator": _hundredths_text(row.raw_material_used_hundredths),
        },
        Indicator.REPORTING_DISCIPLINE: {
            "numerator": str(row.on_time_factory_months),
            "denominator": str(row.operating_factory_months),
        },
    }
    return {str(key): value for key, value in ratios.items()}, {str(key): value for key, value in sums.items()}


def is_eligible(row: CountyInputs, minimum_share: Decimal) -> bool:
    """Ranked when complete months ≥ share × operating months (9 of 12 at 75 %); never depends on scores."""
    return row.operating_months > 0 and row.complete_months >= Fraction(minimum_share) * row.operating_months


def score(value: Fraction, low: Fraction, high: Fraction) -> Decimal:
    """Goalpost normalisation to 0–100 (all equal → 100), rounded half-up to 2 decimals."""
    if high == low:
        return Decimal("100.00")
    return round_half_up((value - low) * HUNDRED / (high - low), 2)


def composite(scores: dict[str, Decimal | None], weights: dict[str, Decimal]) -> Decimal | None:
    """Σ weight × score ÷ Σ weight over the indicators present, half-up to 2 decimals; None with no weight."""
    present = [indicator for indicator in INDICATORS if scores.get(indicator) is not None]
    weight_sum = sum((Fraction(weights[indicator]) for indicator in present), Fraction(0))
    if weight_sum <= 0:
        return None
    weighted = sum((Fraction(weights[indicator]) * Fraction(scores[indicator]) for indicator in present), Fraction(0))
    return round_half_up(weighted / weight_sum, 2)


def ranks(values: dict[int, Decimal]) -> dict[int, int]:
    """SQL RANK(), best (highest) first: 1 + how many are strictly better; ties share a rank."""
    ordered = sorted(values.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[value] for key, value in values.items()}


def compute_year(rows: list[CountyInputs], *, weights: dict[str, Decimal], minimum_share: Decimal) -> YearResult:
    """Every county's indicators, scores, composite and national and provincial ranks, from its exact sums."""
    results = []
    for row in sorted(rows, key=lambda row: row.county_id):
        ratios, sums = county_ratios(row)
        results.append(CountyResult(inputs=row, is_eligible=is_eligible(row, minimum_share), ratios=ratios, sums=sums))
    goalposts: dict[str, dict[str, str | None]] = {}
    bounds: dict[str, tuple[Fraction, Fraction] | None] = {}
    for indicator in INDICATORS:
        values = [result.ratios[indicator] for result in results if result.is_eligible]
        values = [value for value in values if value is not None]
        bounds[indicator] = (min(values), max(values)) if values else None
        goalposts[indicator] = {
            "min": exact_text(min(values)) if values else None,
            "max": exact_text(max(values)) if values else None,
        }
    for result in results:
        for indicator in INDICATORS:
            value = result.ratios[indicator]
            result.scores[indicator] = (
                score(value, *bounds[indicator]) if result.is_eligible and value is not None else None
            )
        if result.is_eligible:
            result.composite = composite(result.scores, weights)
    ranked = [result for result in results if result.is_ranked]
    national = ranks({result.inputs.county_id: result.composite for result in ranked})
    provinces: dict[int, dict[int, Decimal]] = {}
    for result in ranked:
        provinces.setdefault(result.inputs.province_id, {})[result.inputs.county_id] = result.composite
    in_province = {county: rank for group in provinces.values() for county, rank in ranks(group).items()}
    for result in ranked:
        result.rank = national[result.inputs.county_id]
        result.province_rank = in_province[result.inputs.county_id]
    return YearResult(counties=results, goalposts=goalposts)
