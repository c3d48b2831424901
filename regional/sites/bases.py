"""Raw-material bases over time: a county's area and yield per year, summed in SQL from the yearly records."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from factories.models import RawMaterialYield
from regional import scoping
from regional.models import County, User
from regional.selectors.programme import kimhwa_facts

KIMHWA_SLUG = "kp-kangwon-kimhwa"


@dataclass
class BaseYear:
    year: int
    bases: int
    bases_with_area: int
    area_hectares: Decimal | None
    yield_tonnes: Decimal
    is_demo: bool

    @property
    def is_area_complete(self) -> bool:
        """Every base reporting that year gave its area; otherwise the sum is a lower bound, and says so."""
        return self.bases_with_area == self.bases


def bases_over_time(*, user: User, county: County) -> list[BaseYear]:
    """Per year: the county's bases reporting, their summed area (only over the bases that gave one) and yield.
    One query."""
    rows = (
        RawMaterialYield.objects.filter(base__in=scoping.visible_raw_material_bases(user).filter(county=county))
        .values("year")
        .annotate(
            bases=Count("pk"),
            bases_with_area=Count("area_hectares"),
            area=Sum("area_hectares"),
            total_yield=Sum("yield_tonnes"),
            demo_rows=Count("pk", filter=Q(is_demo=True)),
        )
        .order_by("year")
    )
    return [
        BaseYear(
            year=row["year"],
            bases=row["bases"],
            bases_with_area=row["bases_with_area"],
            area_hectares=row["area"],
            yield_tonnes=row["total_yield"],
            is_demo=row["demo_rows"] > 0,
        )
        for row in rows
    ]


def bases_chart(years: list[BaseYear]) -> dict:
    """Chart.js data: area (bars) and yield (line) per year; exact decimals as strings, unknown as null."""
    return {
        "years": [y.year for y in years],
        "area": [str(y.area_hectares) if y.area_hectares is not None else None for y in years],
        "yield": [str(y.yield_tonnes) for y in years],
        "labels": {"area": str(_("area (ha)")), "yield": str(_("yield (t)"))},
    }


def kimhwa_base_fact(county: County):
    """Kimhwa's verified growth of its bases, shown beside its figures; None for any other county."""
    if county.slug != KIMHWA_SLUG:
        return None
    return next((fact for fact in kimhwa_facts() if fact.fact == "raw_material_base_area_growth"), None)
