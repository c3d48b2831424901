"""The year × province schedule grid and its rule checks."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from regional import scoping
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province, User, reads_korean

LOCALITIES_PER_PROVINCE_PER_YEAR = 2


@dataclass
class ScheduleCell:
    year: int
    slots: list[ProgrammeSlot]
    warning: "ScheduleWarning | None" = None

    @property
    def locality_count(self) -> int:
        return sum(1 for slot in self.slots if slot.kind == ProgrammeSlot.Kind.LOCALITY)


@dataclass
class ScheduleGrid:
    years: list[int]
    model_years: set[int]
    provinces: list[Province]
    # cells[(province_id, year)] → slots of that province and year, in name order
    cells: dict[tuple[int, int], list[ProgrammeSlot]] = field(default_factory=dict)
    localities_by_year: dict[int, int] = field(default_factory=dict)
    target_by_year: dict[int, int] = field(default_factory=dict)
    warnings: list["ScheduleWarning"] = field(default_factory=list)

    def rows(self):
        """Province rows, each a list of cells (one per year), flagged where a rule check failed."""
        flagged = {(w.province_code, w.year): w for w in self.warnings if w.rule == ScheduleWarning.PROVINCE_NOT_TWO}
        for province in self.provinces:
            yield (
                province,
                [
                    ScheduleCell(
                        year=year,
                        slots=self.cells.get((province.pk, year), []),
                        warning=flagged.get((province.code, year)),
                    )
                    for year in self.years
                ],
            )

    def totals(self):
        """(year, localities, target, is_model) per column."""
        return [
            (year, self.localities_by_year.get(year, 0), self.target_by_year.get(year, 0), year in self.model_years)
            for year in self.years
        ]


def schedule_grid(*, user: User, warnings: list["ScheduleWarning"] | None = None) -> ScheduleGrid:
    """Year × province grid of every scheduled slot (localities, separate projects, the model). Three queries."""
    provinces = list(scoping.visible_provinces(user).order_by("code"))
    slots = list(
        scoping.visible_programme_slots(user)
        .select_related("county", "programme_round")
        .order_by("programme_round__year", "county__name_en", "pk")
    )
    rounds = list(scoping.visible_programme_rounds(user).order_by("year"))
    years_with_slots = {slot.programme_round.year for slot in slots}
    grid = ScheduleGrid(
        years=[r.year for r in rounds if r.year in years_with_slots],
        model_years={r.year for r in rounds if r.kind == ProgrammeRound.Kind.MODEL},
        provinces=provinces,
        target_by_year={r.year: r.target_localities for r in rounds},
        warnings=warnings or [],
    )
    for slot in slots:
        year = slot.programme_round.year
        grid.cells.setdefault((slot.county.province_id, year), []).append(slot)
        if slot.kind == ProgrammeSlot.Kind.LOCALITY:
            grid.localities_by_year[year] = grid.localities_by_year.get(year, 0) + 1
    return grid


@dataclass(frozen=True)
class ScheduleWarning:
    """A place where the recorded schedule departs from the programme's rules. Reported, never refused."""

    PROVINCE_NOT_TWO = "province_not_two"
    YEAR_NOT_TARGET = "year_not_target"
    ROUND_INCOMPLETE = "round_incomplete"
    COUNTY_SCHEDULED_TWICE = "county_scheduled_twice"
    NOT_CITY_OR_COUNTY = "not_city_or_county"

    rule: str
    message: str
    year: int | None = None
    province_code: str = ""
    county_slug: str = ""
    count: int | None = None

    @property
    def is_departure(self) -> bool:
        """An incomplete round is a gap in what is known, not a departure from the programme's rules."""
        return self.rule != self.ROUND_INCOMPLETE


def _local_name_of(name_en: str, name_ko: str) -> str:
    """A place's name in the reader's language (its Korean name on a Korean page, when known)."""
    return name_ko if reads_korean() and name_ko else name_en


def _local_name(place) -> str:
    return _local_name_of(place.name_en, place.name_ko)


def schedule_warnings(*, user: User, today: datetime.date | None = None) -> list[ScheduleWarning]:
    """Check the schedule against the programme's rules: 2 localities per province a year, the year's target
    (20), a county built once, only cities and counties. Only slots of kind "locality" count towards the
    per-province and per-year numbers. Five aggregate queries, whatever the size of the schedule.

    A round below its target is reported as incomplete (its remaining localities are not yet known), not as
    a departure; in it only provinces already over 2 are reported, since one with fewer may not be fully known.
    """
    today = today or timezone.localdate()
    warnings: list[ScheduleWarning] = []

    slots = scoping.visible_programme_slots(user)
    rounds = list(
        scoping.visible_programme_rounds(user)
        .filter(kind=ProgrammeRound.Kind.ANNUAL)
        .annotate(localities=Count("slots", filter=Q(slots__kind=ProgrammeSlot.Kind.LOCALITY)))
        .order_by("year")
    )
    per_province = (
        slots.filter(kind=ProgrammeSlot.Kind.LOCALITY, programme_round__kind=ProgrammeRound.Kind.ANNUAL)
        .values("programme_round__year", "county__province_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    count_by_year_and_province = {
        (row["programme_round__year"], row["county__province_id"]): row["total"] for row in per_province
    }
    provinces = list(scoping.visible_provinces(user).filter(kind=Province.Kind.PROVINCE).order_by("code"))

    separate_by_year = dict(
        slots.filter(kind=ProgrammeSlot.Kind.SEPARATE_PROJECT)
        .values("programme_round__year")
        .annotate(total=Count("pk"))
        .values_list("programme_round__year", "total")
        .order_by()
    )
    for programme_round in rounds:
        year = programme_round.year
        is_past = year < today.year
        if programme_round.localities == 0 and not is_past:
            continue  # not yet announced
        # Fewer localities than the target means the sources have not named them all yet (2026: 17 of 20 known):
        # the round is incomplete, which is not a departure from the rules, and a province short of two in it
        # may simply be one whose sites are not yet known.
        is_complete = programme_round.localities >= programme_round.target_localities
        if not is_complete:
            separate = separate_by_year.get(year, 0)
            message = ngettext(
                "%(year)s is not yet fully known: %(count)s of %(target)s localities recorded so far.",
                "%(year)s is not yet fully known: %(count)s of %(target)s localities recorded so far.",
                programme_round.localities,
            ) % {"year": year, "count": programme_round.localities, "target": programme_round.target_localities}
            if separate:
                message += " " + ngettext(
                    "Plus %(separate)s separate project.", "Plus %(separate)s separate projects.", separate
                ) % {"separate": separate}
            warnings.append(
                ScheduleWarning(
                    rule=ScheduleWarning.ROUND_INCOMPLETE,
                    year=year,
                    count=programme_round.localities,
                    message=message,
                )
            )
        elif programme_round.localities != programme_round.target_localities:
            warnings.append(
                ScheduleWarning(
                    rule=ScheduleWarning.YEAR_NOT_TARGET,
                    year=year,
                    count=programme_round.localities,
                    message=ngettext(
                        "%(year)s has %(count)s locality, not %(target)s.",
                        "%(year)s has %(count)s localities, not %(target)s.",
                        programme_round.localities,
                    )
                    % {
                        "year": year,
                        "count": programme_round.localities,
                        "target": programme_round.target_localities,
                    },
                )
            )
        for province in provinces:
            count = count_by_year_and_province.get((year, province.pk), 0)
            if count == LOCALITIES_PER_PROVINCE_PER_YEAR:
                continue
            if count < LOCALITIES_PER_PROVINCE_PER_YEAR and not is_complete:
                continue
            warnings.append(
                ScheduleWarning(
                    rule=ScheduleWarning.PROVINCE_NOT_TWO,
                    year=year,
                    province_code=province.code,
                    count=count,
                    message=ngettext(
                        "%(province)s has %(count)s locality in %(year)s, not 2.",
                        "%(province)s has %(count)s localities in %(year)s, not 2.",
                        count,
                    )
                    % {"province": _local_name(province), "count": count, "year": year},
                )
            )

    twice = (
        slots.values("county_id", "county__slug", "county__name_en", "county__name_ko")
        .annotate(total=Count("pk"))
        .filter(total__gt=1)
        .order_by("county__name_en")
    )
    warnings.extend(
        ScheduleWarning(
            rule=ScheduleWarning.COUNTY_SCHEDULED_TWICE,
            county_slug=row["county__slug"],
            count=row["total"],
            message=str(_("%(county)s is scheduled %(count)s times; a county is built once."))
            % {"county": _local_name_of(row["county__name_en"], row["county__name_ko"]), "count": row["total"]},
        )
        for row in twice
    )

    not_in_scope = (
        slots.exclude(county__kind__in=County.PROGRAMME_KINDS)
        .select_related("county", "county__province", "programme_round")
        .order_by("programme_round__year", "county__name_en")
    )
    warnings.extend(
        ScheduleWarning(
            rule=ScheduleWarning.NOT_CITY_OR_COUNTY,
            year=slot.programme_round.year,
            province_code=slot.county.province.code,
            county_slug=slot.county.slug,
            message=str(_("%(county)s (%(province)s, %(year)s) is a %(kind)s, not a city or county."))
            % {
                "county": _local_name(slot.county),
                "province": _local_name(slot.county.province),
                "year": slot.programme_round.year,
                "kind": slot.county.get_kind_display(),
            },
        )
        for slot in not_in_scope
    )
    return warnings
