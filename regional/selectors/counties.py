"""Reads of counties and provinces: programme status, details and summaries, annotated in SQL."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factories.models import ConstructionMilestone, Facility, Factory, RawMaterialBase, RawMaterialYield
from regional import scoping
from regional.models import County, ProgrammeSlot, Province, User
from regional.sites.bases import BaseYear, bases_chart, bases_over_time, kimhwa_base_fact
from regional.sites.selectors import ResponsibilityLine, site_facilities, site_responsibilities


class ProgrammeStatus:
    """Where a county stands in the programme, derived from its slot's reported dates."""

    SCHEDULED = "scheduled"
    BROKEN_GROUND = "broken_ground"
    INAUGURATED = "inaugurated"
    NOT_SCHEDULED = "not_scheduled"

    choices = [
        (SCHEDULED, _("scheduled")),
        (BROKEN_GROUND, _("broken ground")),
        (INAUGURATED, _("inaugurated")),
        (NOT_SCHEDULED, _("not scheduled")),
    ]
    labels = dict(choices)


def _with_programme_columns(counties: QuerySet[County], *, today: datetime.date) -> QuerySet[County]:
    """Annotate each county with its round, programme status and factory count, in the same query.

    A county has at most one slot (a database constraint), so joining its slot never duplicates rows;
    the factory count is a correlated subquery so it cannot multiply either.
    """
    factory_count = (
        Factory.objects.filter(county=OuterRef("pk"))
        .order_by()
        .values("county")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return counties.annotate(
        programme_year=F("programme_slots__programme_round__year"),
        programme_slot_kind=F("programme_slots__kind"),
        programme_status=Case(
            When(programme_slots__inauguration_date__lte=today, then=Value(ProgrammeStatus.INAUGURATED)),
            When(programme_slots__groundbreaking_date__lte=today, then=Value(ProgrammeStatus.BROKEN_GROUND)),
            When(programme_slots__isnull=False, then=Value(ProgrammeStatus.SCHEDULED)),
            default=Value(ProgrammeStatus.NOT_SCHEDULED),
            output_field=CharField(),
        ),
        factory_count=Coalesce(Subquery(factory_count, output_field=IntegerField()), 0),
    ).select_related("province")


def county_list(*, user: User, today: datetime.date | None = None) -> QuerySet[County]:
    """Every county the user may see with its round, programme status and factory count, by province."""
    today = today or timezone.localdate()
    return _with_programme_columns(scoping.visible_counties(user), today=today).order_by(
        "province__code", "name_en", "pk"
    )


def province_counties(*, user: User, province: Province, today: datetime.date | None = None) -> QuerySet[County]:
    """The province's counties with their round, status and factory count: cities and counties first."""
    today = today or timezone.localdate()
    in_scope_first = Case(When(kind__in=County.PROGRAMME_KINDS, then=Value(0)), default=Value(1))
    return _with_programme_columns(scoping.visible_counties(user).filter(province=province), today=today).order_by(
        in_scope_first, "name_en", "pk"
    )


def programme_years(*, user: User) -> list[int]:
    """Years of the programme's rounds (the model year included), for filters."""
    return list(scoping.visible_programme_rounds(user).order_by("year").values_list("year", flat=True))


@dataclass
class CountyDetail:
    county: County
    slot: ProgrammeSlot | None
    factories: list[Factory]
    milestones: list[ConstructionMilestone]
    raw_material_bases: list[RawMaterialBase]
    facilities: list[Facility] = field(default_factory=list)
    responsibilities: list[ResponsibilityLine] = field(default_factory=list)
    base_years: list[BaseYear] = field(default_factory=list)

    def bases_chart(self) -> dict:
        return bases_chart(self.base_years)

    @property
    def kimhwa_base_fact(self):
        return kimhwa_base_fact(self.county)


def county_detail(*, user: User, slug: str, today: datetime.date | None = None) -> CountyDetail:
    """A county with its programme slot, factories, construction milestones and raw-material bases.

    Raises Http404 when the county is outside the user's scope.
    """
    today = today or timezone.localdate()
    county = scoping.get_in_scope_or_404(scoping.visible_counties(user).select_related("province"), slug=slug)
    slot = scoping.visible_programme_slots(user).filter(county=county).select_related("programme_round").first()
    factories = list(scoping.visible_factories(user).filter(county=county).order_by("kind", "name", "pk"))
    milestones = list(
        scoping.visible_milestones(user)
        .with_status(today=today)
        .filter(programme_slot__county=county)
        .select_related("factory")
        .order_by(F("planned_date").asc(nulls_last=True), "kind", "pk")
    )
    bases = list(
        scoping.visible_raw_material_bases(user)
        .filter(county=county)
        .prefetch_related(
            Prefetch("yields", queryset=RawMaterialYield.objects.order_by("-year"), to_attr="yields_newest_first")
        )
        .order_by("kind", "name", "pk")
    )
    facilities, responsibilities = [], []
    if slot is not None:
        facilities = site_facilities(user=user, slot=slot)
        responsibilities = site_responsibilities(user=user, slot=slot)
    return CountyDetail(
        county=county,
        slot=slot,
        factories=factories,
        milestones=milestones,
        raw_material_bases=bases,
        facilities=facilities,
        responsibilities=responsibilities,
        base_years=bases_over_time(user=user, county=county) if bases else [],
    )


def province_detail(*, user: User, code: str) -> Province:
    """A province by its ISO 3166-2 code; Http404 outside the user's scope."""
    return scoping.get_in_scope_or_404(scoping.visible_provinces(user), code=code)


@dataclass
class ProvinceSummary:
    units: int
    in_scope: int
    scheduled: int
    inaugurated: int


def province_summary(counties: list[County]) -> ProvinceSummary:
    """Totals over an already loaded `province_counties` list (no further query)."""
    return ProvinceSummary(
        units=len(counties),
        in_scope=sum(1 for c in counties if c.is_in_programme_scope),
        scheduled=sum(1 for c in counties if c.programme_status != ProgrammeStatus.NOT_SCHEDULED),
        inaugurated=sum(1 for c in counties if c.programme_status == ProgrammeStatus.INAUGURATED),
    )
