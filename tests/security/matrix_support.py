"""The authorization matrix's machinery: every route of the resolver, sample arguments for it, the personas'
clients, and one request per (route, method, persona) rolled back so that every cell sees the same data."""

import datetime
import json
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from factories.models import (
    ConstructionMilestone,
    Facility,
    LateEntryGrant,
    MonthlyPlan,
    ReportEvent,
    ReportExport,
    ReportImport,
    SiteResponsibility,
)
from factories.selectors import first_of_month
from regional.models import ProgrammeSlot, SecurityEvent, User
from regional.notifications.models import Notification, NotificationKind
from standings.services import methodology_current, standings_recompute
from tests.builders import (
    AnnualPlanBuilder,
    FactoryBuilder,
    MonthlyReportBuilder,
    RawMaterialBaseBuilder,
    RoundBuilder,
)

PERSONAS = ("anonymous", "alice", "carol", "dave", "erin", "frank")


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself for an unnamed pattern
    name: str | None
    pattern: str


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(resolver, prefix: str, namespace: str | None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                child = ":".join(filter(None, [namespace, entry.namespace])) or None
                walk(entry, prefix + str(entry.pattern), child)
            elif isinstance(entry, URLPattern):
                name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
                pattern = prefix + str(entry.pattern)
                routes.append(Route(key=name or pattern, name=name, pattern=pattern))

    walk(get_resolver(), "", None)
    return routes


@dataclass
class World:
    objects: dict

    def url(self, route: Route) -> str:
        if route.name is None:
            path = route.pattern.replace("^", "").replace("$", "").replace("(?P<url>.*)", "no-such-page/")
            return "/" + path.replace("<path:object_id>", "1")
        if route.name.endswith("_simple_history"):
            label = route.name.removeprefix("admin:").removesuffix("_simple_history")
            models = {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry}
            sample = self.objects["admin_samples"][models[label]]
            return reverse(route.name, args=[sample.pk, sample.history.first().history_id])
        kwargs = self.kwargs(route.name)
        return reverse(route.name, kwargs=kwargs)

    def kwargs(self, name: str) -> dict:
        objects = self.objects
        if name.startswith("admin:"):
            return self._admin_kwargs(name)
        return {
            "county_detail": {"slug": objects["alpha"].slug},
            "sites:board_year": {"year": 2024},
            "sites:site_detail": {"slug": objects["alpha"].slug},
            "sites:review_detail": {"year": 2024, "period": "half", "scope": objects["north"].code},
            "sites:review_document": {"pk": objects["review_document"].pk},
            "province_detail": {"code": objects["north"].code},
            "reports:report_entry": {"factory_code": objects["factory"].code, "month": objects["this_month"]},
            "reports:report_entry_check": {"factory_code": objects["factory"].code, "month": objects["this_month"]},
            "reports:report_import_commit": {"pk": objects["import"].pk},
            "reports:report_export_status": {"pk": objects["export"].pk},
            "reports:report_export_download": {"pk": objects["export"].pk},
            "reports:report_detail": {"pk": objects["draft"].pk},
            "reports:report_approve": {"pk": objects["submitted"].pk},
            "reports:report_return": {"pk": objects["submitted"].pk},
            "reports:review_return_form": {"pk": objects["submitted"].pk},
            "reports:report_recall": {"pk": objects["submitted"].pk},
            "reports:report_reopen": {"pk": objects["approved"].pk},
            # A closed month with no report and no late entry allowed yet.
            "reports:late_entry_reopen": {"factory_code": objects["factory"].code, "month": datetime.date(2025, 4, 1)},
            "standings:province": {"code": objects["north"].code},
            "standings:county": {"slug": objects["alpha"].slug},
            "standings:trace": {
                "run_id": objects["run"].pk,
                "slug": objects["alpha"].slug,
                "target": "plan_fulfilment",
            },
            "api:run-standings": {"run_id": objects["run"].pk},
            "api:county-standings": {"slug": objects["alpha"].slug},
            "api:province-detail": {"code": objects["north"].code},
            "api:county-detail": {"slug": objects["alpha"].slug},
            "api:programme-round-detail": {"year": 2024},
            "api:programme-slot-detail": {"pk": objects["slot"].pk},
            "api:factory-detail": {"code": objects["factory"].code},
            "api:milestone-detail": {"pk": objects["milestone"].pk},
            "api:facility-detail": {"pk": objects["admin_samples"][Facility].pk},
            "api:site-responsibility-detail": {"pk": objects["admin_samples"][SiteResponsibility].pk},
            "api:raw-material-year-detail": {"pk": objects["raw_material_year"].pk},
            "api:review": {"year": 2024, "period": "half", "scope": objects["north"].code},
            "api:raw-material-base-detail": {"pk": objects["base"].pk},
            "api:annual-plan-detail": {"pk": objects["plan"].pk},
            "api:report-detail": {"pk": objects["draft"].pk},
            "api:report-approve": {"pk": objects["submitted"].pk},
            "api:report-return-to-county": {"pk": objects["submitted"].pk},
            "api:report-recall": {"pk": objects["submitted"].pk},
            "api:report-submit": {"pk": objects["draft"].pk},
            "api:standings-run-detail": {"pk": objects["run"].pk},
            "notifications:open": {"pk": objects["notification"].pk},
            "factory_detail": {"code": objects["factory"].code},
        }.get(name, {})

    def _admin_kwargs(self, name: str) -> dict:
        action = name.rsplit("_", 1)[-1]
        if name == "admin:app_list":
            return {"app_label": "regional"}
        if name == "admin:view_on_site":
            return {"content_type_id": 1, "object_id": 1}
        if name == "admin:auth_user_password_change" or name == "admin:regional_user_password_change":
            return {"id": self.objects["bob"].pk}
        label = name.removeprefix("admin:").rsplit("_", 1)[0]
        models = {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry}
        if action in ("change", "delete", "history") and label in models:
            return {"object_id": self.objects["admin_samples"][models[label]].pk}
        return {}


def build_world(*, alpha_county, beta_county, gamma_county, north_province, alice, bob, carol, dave, erin, frank):
    """One object of every kind the routes take, in Northland (Alice's county, Carol's province) unless said."""
    this_month = first_of_month(timezone.localdate())
    programme_round = RoundBuilder(year=2024)
    slot = ProgrammeSlot.objects.create(programme_round=programme_round, county=alpha_county)
    factory = FactoryBuilder(code="alpha-foodstuff", county=alpha_county, programme_slot=slot)
    milestone = ConstructionMilestone.objects.create(programme_slot=slot, kind="design_approved")
    facility = Facility.objects.create(
        programme_slot=slot, kind="hospital", name="Alpha hospital", source="https://e.org"
    )
    responsibility = SiteResponsibility.objects.create(
        programme_slot=slot, role="construction_unit", name="Unit 1", source="https://e.org"
    )
    base = RawMaterialBaseBuilder(county=alpha_county)
    raw_material_year = base.yields.create(year=2024, yield_tonnes=1, area_hectares=2)
    plan = AnnualPlanBuilder(factory=factory, year=2025)
    monthly_plan = MonthlyPlan.objects.create(
        annual_plan=plan, month_number=1, planned_output_value_thousand_won=1, planned_physical_output=1
    )
    draft = MonthlyReportBuilder(factory=factory, month=this_month, created_by=alice)
    submitted = MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 2, 1), submitted=True)
    approved = MonthlyReportBuilder(factory=factory, month=datetime.date(2025, 3, 1), approved=True)
    event = ReportEvent.objects.create(report=approved, kind="approved", actor=carol, at=timezone.now())
    late_entry = LateEntryGrant.objects.create(
        factory=factory,
        month=datetime.date(2025, 1, 1),
        reason="Flooded office.",
        granted_by=frank,
        granted_at=timezone.now(),
    )
    report_import = ReportImport.objects.create(
        uploaded_by=carol, file_name="reports.csv", content="factory_code,month\n", row_count=0
    )
    report_export = ReportExport(
        requested_by=carol,
        file_format="csv",
        status=ReportExport.Status.READY,
        rows_expected=1,
        rows_written=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    report_export.file.save("matrix.csv", ContentFile(b"factory_code\r\nalpha-foodstuff\r\n"), save=False)
    report_export.save()
    methodology = methodology_current()
    run = standings_recompute(year=2025).run
    from standings.models import RecomputeRequest

    recompute_request = RecomputeRequest.objects.create(year=2025, is_pending=False)
    security_event = SecurityEvent.objects.create(kind="login", at=timezone.now(), user=alice, username="alice")
    from rest_framework.authtoken.models import Token, TokenProxy

    token = Token.objects.create(user=bob)
    from regional.models import ReviewDocument

    review_document = ReviewDocument.objects.create(
        year=2024, period="year", scope="national", language="en", requested_by=frank
    )
    samples = {
        apps.get_model("regional", "Province"): north_province,
        apps.get_model("regional", "County"): alpha_county,
        apps.get_model("regional", "ProgrammeRound"): programme_round,
        apps.get_model("regional", "ProgrammeSlot"): slot,
        User: bob,
        SecurityEvent: security_event,
        apps.get_model("factories", "Factory"): factory,
        ConstructionMilestone: milestone,
        Facility: facility,
        SiteResponsibility: responsibility,
        apps.get_model("factories", "RawMaterialBase"): base,
        apps.get_model("factories", "AnnualPlan"): plan,
        MonthlyPlan: monthly_plan,
        apps.get_model("factories", "MonthlyReport"): approved,
        ReportEvent: event,
        LateEntryGrant: late_entry,
        ReportImport: report_import,
        apps.get_model("standings", "Methodology"): methodology,
        apps.get_model("standings", "StandingsRun"): run,
        RecomputeRequest: recompute_request,
        TokenProxy: TokenProxy.objects.get(pk=token.pk),
    }
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    samples[Group] = Group.objects.create(name="reviewers")
    samples[AccessAttempt] = AccessAttempt.objects.create(
        username="mallory", ip_address="10.0.0.1", failures_since_start=1
    )
    samples[AccessLog] = AccessLog.objects.create(username="alice", ip_address="10.0.0.2")
    samples[AccessFailureLog] = AccessFailureLog.objects.create(username="mallory", ip_address="10.0.0.1")
    notification = Notification.objects.create(
        recipient=alice,
        kind=NotificationKind.REPORT_APPROVED,
        subject_key="matrix",
        created_at=timezone.now(),
        params={"factory": factory.name, "month": "2025-03-01"},
        url="/reports/this-month/",
    )
    missing = [model for model in admin.site._registry if model not in samples]
    assert not missing, f"give the authorization matrix a sample of {missing}"
    return World(
        objects={
            "this_month": this_month,
            "alpha": alpha_county,
            "north": north_province,
            "slot": slot,
            "factory": factory,
            "milestone": milestone,
            "review_document": review_document,
            "raw_material_year": raw_material_year,
            "base": base,
            "plan": plan,
            "draft": draft,
            "submitted": submitted,
            "approved": approved,
            "import": report_import,
            "export": report_export,
            "run": run,
            "notification": notification,
            "bob": bob,
            "admin_samples": samples,
        }
    )


def persona_clients(users: dict) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for name in PERSONAS[1:]:
        client = Client()
        client.force_login(users[name], backend="django.contrib.auth.backends.ModelBackend")
        clients[name] = client
    return clients


def request_body(route_key: str, world: World) -> dict:
    """A body that gets past input validation, so that the cell shows the authorization decision."""
    objects = world.objects
    return {
        "api:report-list": {
            "factory": objects["factory"].code,
            "month": f"{objects['this_month']:%Y-%m}",
            "output_value_thousand_won": "1",
            "physical_output": "1",
            "varieties_produced": 1,
            "raw_material_used_tonnes": "1",
            "raw_material_from_own_bases_tonnes": "1",
            "days_worked": 1,
            "workers_on_roll": 1,
            "comment": "matrix",
        },
        "api:report-detail": {"version": objects["draft"].version, "comment": "matrix"},
        # Its physical output is above a twelfth of the capacity: flagged, so its warnings are acknowledged.
        "api:report-approve": {"version": objects["submitted"].version, "acknowledge_warnings": True},
        "api:report-return-to-county": {"version": objects["submitted"].version, "reason": "Check the figures."},
        "api:report-submit": {"version": objects["draft"].version},
        "api:report-recall": {"version": objects["submitted"].version},
        "reports:report_recall": {"version": objects["submitted"].version},
        "reports:report_return": {"version": objects["submitted"].version, "return-reason": "Check the figures."},
        "reports:report_reopen": {"reopen-reason": "Typed in won, not thousands."},
        "reports:late_entry_reopen": {"late-reason": "The county office was flooded."},
        "reports:report_approve": {"version": objects["submitted"].version},
    }.get(route_key, {})


def request_status(
    client: Client, method: str, url: str, user=None, body: dict | None = None, *, rollback: bool = True
) -> int:
    """One request, its writes rolled back (unless `rollback` is off) so that the next cell sees the same
    data; a persona signed out by the request (the logout routes) is signed in again for the next one."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif method == "POST" and url.startswith("/api/"):
            response = client.post(url, json.dumps(body or {}), content_type="application/json")
        elif method == "POST":
            response = client.post(url, body or {})
        else:
            response = client.generic(method, url, json.dumps(body or {}), content_type="application/json")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        transaction.set_rollback(rollback)
    if user is not None and client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return response.status_code
