"""Reads of programme sites: the construction board, a site's page, who answers for it, the missing facts."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factories.models import ConstructionMilestone, Facility, SiteResponsibility
from regional import scoping
from regional.models import ProgrammeRound, ProgrammeSlot, Province, User

MILESTONE_ORDER = [kind for kind, _label in ConstructionMilestone.Kind.choices]
STATUS_URGENCY = {status: index for index, (status, _label) in enumerate(ConstructionMilestone.Status.choices)}
DONE_STATUSES = (ConstructionMilestone.Status.MET, ConstructionMilestone.Status.MET_LATE)


@dataclass
class ResponsibilityLine:
    """One role answering for a site: the person or unit recorded, or None ("not reported")."""

    role: str
    label: str
    responsibility: SiteResponsibility | None


def site_facilities(*, user: User, slot: ProgrammeSlot) -> list[Facility]:
    """The site's facilities, factories first."""
    facilities = list(scoping.visible_facilities(user).filter(programme_slot=slot).select_related("factory"))
    return sorted(facilities, key=lambda f: (not f.is_factory, f.kind, f.name))


def _responsibility_lines(recorded: list[SiteResponsibility]) -> list[ResponsibilityLine]:
    by_role = {r.role: r for r in recorded}
    return [
        ResponsibilityLine(role=role, label=label, responsibility=by_role.get(role))
        for role, label in SiteResponsibility.Role.choices
    ]


def site_responsibilities(*, user: User, slot: ProgrammeSlot) -> list[ResponsibilityLine]:
    """Every role that answers for a site, each with what is recorded or nothing ("not reported")."""
    return _responsibility_lines(list(scoping.visible_site_responsibilities(user).filter(programme_slot=slot)))


# --- the construction board -------------------------------------------------------------------------------------


@dataclass
class BoardRow:
    slot: ProgrammeSlot
    cells: list[ConstructionMilestone | None]

    @property
    def recorded(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)

    @property
    def done(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.status in DONE_STATUSES)

    @property
    def late(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.is_late)

    @property
    def overdue(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.status == ConstructionMilestone.Status.OVERDUE)

    @property
    def is_demo(self) -> bool:
        """Any generated milestone makes the row's figures demo figures."""
        return any(cell is not None and cell.is_demo for cell in self.cells)

    @property
    def progress_percent(self) -> int:
        """Share of the seven preconditions met (on time or late), as a whole percentage for the bar."""
        return round(100 * self.done / len(self.cells)) if self.cells else 0

    @property
    def most_days_late(self) -> int:
        return max((cell.days_late or 0 for cell in self.cells if cell is not None), default=0)


@dataclass
class ConstructionBoard:
    year: int
    rounds: list[int]
    provinces: list[Province]
    province_code: str
    milestone_kinds: list[tuple[str, str]]
    rows: list[BoardRow] = field(default_factory=list)

    @property
    def late_sites(self) -> int:
        return sum(1 for row in self.rows if row.late)


def board_rounds(*, user: User) -> list[int]:
    return list(
        scoping.visible_programme_rounds(user)
        .filter(Q(kind=ProgrammeRound.Kind.ANNUAL) | Q(kind=ProgrammeRound.Kind.MODEL), slots__isnull=False)
        .distinct()
        .order_by("year")
        .values_list("year", flat=True)
    )


def construction_board(
    *, user: User, year: int | None = None, province_code: str = "", today: datetime.date | None = None
) -> ConstructionBoard:
    """Sites of a round (by default the latest under way) × the seven milestones with their derived status; sites
    with overdue or late milestones first (most overdue first), then by province and name. Four queries whatever
    the number of sites."""
    today = today or timezone.localdate()
    rounds = board_rounds(user=user)
    if year is None:
        year = max((y for y in rounds if y <= today.year), default=today.year)
    slots = (
        scoping.visible_programme_slots(user)
        .filter(programme_round__year=year)
        .select_related("county__province", "programme_round")
    )
    if province_code:
        slots = slots.filter(county__province__code=province_code)
    milestones = scoping.visible_milestones(user).with_status(today=today).filter(factory__isnull=True).order_by("pk")
    slot_list = list(slots.prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="site_milestones")))
    board = ConstructionBoard(
        year=year,
        rounds=rounds,
        provinces=list(
            scoping.visible_provinces(user).filter(counties__programme_slots__programme_round__year=year).distinct()
        ),
        province_code=province_code,
        milestone_kinds=list(ConstructionMilestone.Kind.choices),
    )
    for slot in slot_list:
        by_kind = {milestone.kind: milestone for milestone in slot.site_milestones}
        board.rows.append(BoardRow(slot=slot, cells=[by_kind.get(kind) for kind in MILESTONE_ORDER]))
    board.rows.sort(
        key=lambda row: (
            -row.overdue,
            -row.late,
            -row.most_days_late,
            row.slot.county.province.code,
            row.slot.county.name_en,
        )
    )
    return board


# --- one site ---------------------------------------------------------------------------------------------------


@dataclass
class SiteDetail:
    slot: ProgrammeSlot
    milestones: list[ConstructionMilestone]
    facilities: list[Facility]
    responsibilities: list[ResponsibilityLine]
    today: datetime.date

    def timeline_chart(self) -> dict:
        """Planned against actual date per milestone, as day offsets from the first date, for Chart.js."""
        labels = [str(m.get_kind_display()) for m in self.milestones]
        return {
            "labels": labels,
            "planned": [m.planned_date.isoformat() if m.planned_date else None for m in self.milestones],
            "actual": [
                m.effective_actual_date.isoformat() if m.effective_actual_date else None for m in self.milestones
            ],
            "statuses": [m.status_label for m in self.milestones],
            "today": self.today.isoformat(),
            "legend": {"planned": str(_("planned")), "actual": str(_("actual"))},
        }


def site_detail(*, user: User, slug: str, today: datetime.date | None = None) -> SiteDetail:
    """The site of the county `slug`: its milestones in programme order, facilities and who answers for it.
    Http404 when there is no such site in the user's scope."""
    today = today or timezone.localdate()
    slot = scoping.get_in_scope_or_404(
        scoping.visible_programme_slots(user).select_related("county__province", "programme_round"), county__slug=slug
    )
    milestones = list(
        scoping.visible_milestones(user).with_status(today=today).filter(programme_slot=slot, factory__isnull=True)
    )
    milestones.sort(key=lambda m: MILESTONE_ORDER.index(m.kind))
    return SiteDetail(
        slot=slot,
        milestones=milestones,
        facilities=site_facilities(user=user, slot=slot),
        responsibilities=site_responsibilities(user=user, slot=slot),
        today=today,
    )


# --- missing facts ----------------------------------------------------------------------------------------------


@dataclass
class MissingFactsRow:
    slot: ProgrammeSlot
    missing_groundbreaking: bool
    missing_inauguration: bool
    missing_facility: bool
    missing_roles: list[tuple[str, str]]

    @property
    def is_missing_anything(self) -> bool:
        return bool(
            self.missing_groundbreaking or self.missing_inauguration or self.missing_facility or self.missing_roles
        )


MISSING_KINDS = {
    "groundbreaking": lambda row: row.missing_groundbreaking,
    "inauguration": lambda row: row.missing_inauguration,
    "facility": lambda row: row.missing_facility,
    "responsibility": lambda row: bool(row.missing_roles),
}
MISSING_CHOICES = [
    ("groundbreaking", _("groundbreaking date")),
    ("inauguration", _("inauguration date")),
    ("facility", _("facilities")),
    ("responsibility", _("who answers for the site")),
]


def missing_facts(*, user: User, year: int | None = None, today: datetime.date | None = None) -> list[MissingFactsRow]:
    """Sites with a missing groundbreaking date, a missing inauguration date (only where the round's year is over,
    or the site is not a current-year one), no facility, or a role nobody is recorded for. Two queries."""
    today = today or timezone.localdate()
    slots = (
        scoping.editable_programme_slots(user)
        .select_related("county__province", "programme_round")
        .annotate(
            has_any_facility=Exists(Facility.objects.filter(programme_slot=OuterRef("pk"))),
        )
        .order_by("programme_round__year", "county__province__code", "county__name_en")
    )
    if year:
        slots = slots.filter(programme_round__year=year)
    recorded_roles: dict[int, set[str]] = {}
    for slot_id, role in SiteResponsibility.objects.filter(programme_slot__in=slots.values("pk")).values_list(
        "programme_slot_id", "role"
    ):
        recorded_roles.setdefault(slot_id, set()).add(role)
    rows = []
    for slot in slots:
        row = MissingFactsRow(
            slot=slot,
            missing_groundbreaking=slot.groundbreaking_date is None,
            # A site of the running year is not "missing" its inauguration before the year is out.
            missing_inauguration=slot.inauguration_date is None and slot.programme_round.year < today.year,
            missing_facility=not slot.has_any_facility,
            missing_roles=[
                (role, label)
                for role, label in SiteResponsibility.Role.choices
                if role not in recorded_roles.get(slot.pk, set())
            ],
        )
        if row.is_missing_anything:
            rows.append(row)
    return rows


def slots_for_facts(*, user: User) -> QuerySet[ProgrammeSlot]:
    """The sites an administrator may complete."""
    return scoping.editable_programme_slots(user).select_related("county__province", "programme_round")
