"""The one place that decides what each user may see and do. Every page, export, API endpoint and admin list
starts its queryset here.

Policy:
- Reference data (provinces, counties, the schedule, factories, milestones, raw-material bases) and the
  published standings are programme-wide facts: every signed-in user may read them.
- Operational data (monthly reports, their events and history, annual plans, yields) is scoped:
  a county official sees their county, a provincial official their province, an analyst everything that
  is approved, an administrator everything.
- What happened to a report before its approval (its earlier versions, its workflow events with the return and
  reopening reasons, and which factories' reports are unsubmitted or returned) belongs to the people who take
  part in the workflow: the county, its province, administrators. Analysts read approved figures and counts
  only, on every page, export and API endpoint (`sees_report_workflow`).
- Objects outside scope answer 404 (they are filtered out before lookup, so their existence is not
  revealed); actions the role may not take answer 403 (`PermissionDenied`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from factories.models import (
    AnnualPlan,
    ConstructionMilestone,
    Facility,
    Factory,
    MonthlyReport,
    RawMaterialBase,
    ReportExport,
    ReportImport,
    SiteResponsibility,
)
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province, User
from regional.notifications.models import Notification
from standings.models import CountyStanding, StandingsRun


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMINISTRATOR))


def is_county_official(user) -> bool:
    return bool(user.is_authenticated and user.role == User.Role.COUNTY_OFFICIAL and user.county_id)


def is_provincial_official(user) -> bool:
    return bool(user.is_authenticated and user.role == User.Role.PROVINCIAL_OFFICIAL and user.province_id)


def is_analyst(user) -> bool:
    return bool(user.is_authenticated and user.role == User.Role.ANALYST and not is_administrator(user))


# --- reference data: everyone signed in -------------------------------------------------------------


def visible_provinces(user) -> QuerySet[Province]:
    return Province.objects.all() if user.is_authenticated else Province.objects.none()


def visible_counties(user) -> QuerySet[County]:
    return County.objects.all() if user.is_authenticated else County.objects.none()


def visible_factories(user) -> QuerySet[Factory]:
    return Factory.objects.all() if user.is_authenticated else Factory.objects.none()


def may_open_factory_pages(user) -> bool:
    """Whether the user may open factory pages: every factory is visible to whoever is signed in (as above), so a
    page may link a factory's name for them without asking per factory."""
    return user.is_authenticated


def visible_raw_material_bases(user) -> QuerySet[RawMaterialBase]:
    return RawMaterialBase.objects.all() if user.is_authenticated else RawMaterialBase.objects.none()


# --- operational data: scoped by role -----------------------------------------------------------------


def operational_counties(user) -> QuerySet[County]:
    """Counties whose operational data (reports, plans) the user may see."""
    if is_administrator(user) or is_analyst(user):
        return County.objects.all()
    if is_provincial_official(user):
        return County.objects.filter(province_id=user.province_id)
    if is_county_official(user):
        return County.objects.filter(pk=user.county_id)
    return County.objects.none()


def visible_reports(user) -> QuerySet[MonthlyReport]:
    reports = MonthlyReport.objects.all()
    if is_administrator(user):
        return reports
    if is_analyst(user):
        return reports.filter(status=MonthlyReport.Status.APPROVED)
    if is_provincial_official(user):
        return reports.filter(factory__county__province_id=user.province_id)
    if is_county_official(user):
        return reports.filter(factory__county_id=user.county_id)
    return reports.none()


def reports_visible_in_county(user, county_id: int) -> bool:
    """Whether per-report figures of `county_id` are within the user's reporting scope (standings traces show
    everyone the sums, and the rows behind them only within this scope)."""
    return operational_counties(user).filter(pk=county_id).exists()


def visible_report_history(user):
    """Recorded states of the reports whose county's operational data the user may see."""
    return MonthlyReport.history.filter(factory__county__in=operational_counties(user))


def visible_annual_plans(user) -> QuerySet[AnnualPlan]:
    plans = AnnualPlan.objects.all()
    if is_administrator(user) or is_analyst(user):
        return plans
    if is_provincial_official(user):
        return plans.filter(factory__county__province_id=user.province_id)
    if is_county_official(user):
        return plans.filter(factory__county_id=user.county_id)
    return plans.none()


def enterable_factories(user) -> QuerySet[Factory]:
    """Factories whose reports the user may enter and submit: a county official's own county's."""
    if is_county_official(user):
        return Factory.objects.filter(county_id=user.county_id)
    return Factory.objects.none()


def reviewable_reports(user) -> QuerySet[MonthlyReport]:
    """Reports the user may approve or return: a provincial official's province's."""
    if is_provincial_official(user):
        return MonthlyReport.objects.filter(factory__county__province_id=user.province_id)
    return MonthlyReport.objects.none()


def sees_report_workflow(user) -> bool:
    """Whether the user may see a report's past before approval: its earlier versions, its workflow events (return
    and reopening reasons) and, on completeness, which factories' reports are unsubmitted or returned. The people
    who take part in the workflow may; analysts (and anyone else) see the approved figures and counts only."""
    return is_administrator(user) or is_provincial_official(user) or is_county_official(user)


def completeness_counties(user) -> QuerySet[County]:
    """Counties on the user's completeness page: the province for a provincial official, the nation for
    analysts and administrators (programme-scope cities and counties only)."""
    if is_administrator(user) or is_analyst(user):
        return County.objects.filter(kind__in=County.PROGRAMME_KINDS)
    if is_provincial_official(user):
        return County.objects.filter(province_id=user.province_id, kind__in=County.PROGRAMME_KINDS)
    return County.objects.none()


def completeness_reports(user) -> QuerySet[MonthlyReport]:
    """Reports counted (never shown) on the completeness page. Analysts see only counts of unapproved
    reports, which the programme publishes, not their figures nor which factories they are
    (`sees_report_workflow`)."""
    if is_administrator(user) or is_analyst(user):
        return MonthlyReport.objects.all()
    if is_provincial_official(user):
        return MonthlyReport.objects.filter(factory__county__province_id=user.province_id)
    return MonthlyReport.objects.none()


def importable_factories(user) -> QuerySet[Factory]:
    """Factories whose reports the user may import from CSV: all for administrators, the province's for
    a provincial official."""
    if is_administrator(user):
        return Factory.objects.all()
    if is_provincial_official(user):
        return Factory.objects.filter(county__province_id=user.province_id)
    return Factory.objects.none()


def visible_report_imports(user) -> QuerySet[ReportImport]:
    """Uploaded report files: each user sees only their own."""
    if is_administrator(user) or is_provincial_official(user):
        return ReportImport.objects.filter(uploaded_by_id=user.pk)
    return ReportImport.objects.none()


def visible_report_exports(user) -> QuerySet[ReportExport]:
    """Background exports: each user sees and downloads only their own, until they expire."""
    if not user.is_authenticated:
        return ReportExport.objects.none()
    return ReportExport.objects.filter(requested_by_id=user.pk)


# --- helpers for views --------------------------------------------------------------------------------


def get_in_scope_or_404(queryset: QuerySet, **lookup):
    """Look an object up inside an already scoped queryset, so outsiders get 404, not 403."""
    return get_object_or_404(queryset, **lookup)


def require(condition: bool, message: str = "Your role may not do this.") -> None:
    """Refuse an action the role may not take with 403."""
    if not condition:
        raise PermissionDenied(message)


# --- more programme-wide facts: everyone signed in (added for the API) ------------------------------------


def visible_programme_rounds(user) -> QuerySet[ProgrammeRound]:
    return ProgrammeRound.objects.all() if user.is_authenticated else ProgrammeRound.objects.none()


def visible_programme_slots(user) -> QuerySet[ProgrammeSlot]:
    return ProgrammeSlot.objects.all() if user.is_authenticated else ProgrammeSlot.objects.none()


def visible_milestones(user) -> QuerySet[ConstructionMilestone]:
    """Milestones with their status derived from the dates as of today (see `MilestoneQuerySet.with_status`)."""
    if not user.is_authenticated:
        return ConstructionMilestone.objects.none()
    return ConstructionMilestone.objects.with_status()


def visible_facilities(user) -> QuerySet[Facility]:
    return Facility.objects.all() if user.is_authenticated else Facility.objects.none()


def visible_site_responsibilities(user) -> QuerySet[SiteResponsibility]:
    return SiteResponsibility.objects.all() if user.is_authenticated else SiteResponsibility.objects.none()


def editable_programme_slots(user) -> QuerySet[ProgrammeSlot]:
    """Sites whose facts (dates, facilities, who answers for them) the user may complete: administrators only."""
    return ProgrammeSlot.objects.all() if is_administrator(user) else ProgrammeSlot.objects.none()


def visible_standings_runs(user) -> QuerySet[StandingsRun]:
    return StandingsRun.objects.all() if user.is_authenticated else StandingsRun.objects.none()


def visible_county_standings(user) -> QuerySet[CountyStanding]:
    """Only rows of runs in `visible_standings_runs`: whoever sees a row sees its run (a run's standings are served
    from its rows alone, the run looked up only when they are none). Keep the two scopes in step."""
    return CountyStanding.objects.all() if user.is_authenticated else CountyStanding.objects.none()


# --- who is told: notifications follow the same scope as the pages ------------------------------------------


def notification_recipients_for_county(county_id: int) -> QuerySet[User]:
    """Who hears about a county's reports: its own officials (a county official never hears of another county)."""
    return User.objects.filter(role=User.Role.COUNTY_OFFICIAL, county_id=county_id, is_active=True)


def notification_recipients_for_counties(county_ids: list[int]) -> QuerySet[User]:
    """The officials of several counties in one query (each still hears only of their own county's reports)."""
    return User.objects.filter(role=User.Role.COUNTY_OFFICIAL, county_id__in=county_ids, is_active=True)


def notification_recipients_for_province(province_id: int) -> QuerySet[User]:
    return User.objects.filter(role=User.Role.PROVINCIAL_OFFICIAL, province_id=province_id, is_active=True)


def notification_recipients_for_standings() -> QuerySet[User]:
    """Published standings are programme-wide: analysts and administrators may ask to hear of them."""
    return User.objects.filter(
        Q(role__in=[User.Role.ANALYST, User.Role.ADMINISTRATOR]) | Q(is_superuser=True), is_active=True
    )


def notification_recipients_administrators() -> QuerySet[User]:
    return User.objects.filter(Q(role=User.Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True)


def visible_notifications(user) -> QuerySet[Notification]:
    """A user's own inbox, nobody else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)
