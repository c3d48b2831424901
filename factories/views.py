"""HTML views of monthly reports: scope → form → service/selector → render. No business rules here."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from factories import exports, selectors, services
from factories.filters import ReportFilter
from factories.forms import MonthlyReportForm, ReasonForm, ReportImportForm
from factories.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from factories.models import MonthlyReport
from regional import scoping
from regional.exceptions import ConflictError

PAGE_SIZE = 50


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def _expected_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- county entry -------------------------------------------------------------------------------------


@login_required
def this_month(request):
    scoping.require(scoping.is_county_official(request.user), _("Only county officials enter reports."))
    context = {
        "entry_months": selectors.county_entry_months(user=request.user),
        "reopened_reports": selectors.county_open_returned_reports(user=request.user),
        "late_entry_grants": selectors.county_late_entry_grants(user=request.user),
    }
    return render(request, "factories/this_month.html", context)


def _enterable_factory(request, factory_code: str, month: datetime.date):
    scoping.require(scoping.is_county_official(request.user), _("Only county officials enter reports."))
    factory = scoping.get_in_scope_or_404(
        scoping.enterable_factories(request.user).select_related("county"), code=factory_code
    )
    if not selectors.factory_operates_in(factory, month):
        raise Http404(_("The factory was not in operation that month."))
    return factory


@login_required
def report_entry(request, factory_code: str, month: datetime.date):
    factory = _enterable_factory(request, factory_code, month)
    report = (
        scoping.visible_reports(request.user)
        .select_related("approved_by", "submitted_by")
        .filter(factory=factory, month=month)
        .first()
    )
    grant = selectors.late_entry_grant(factory, month) if report is None else None
    locked_reason = selectors.report_locked_reason(report, month, late_entry_granted=grant is not None)
    form_kwargs = {"month": month, "capacity_unit": factory.capacity_unit}
    warnings = selectors.report_warnings(report=report) if report else []
    is_conflict = False

    if request.method == "POST":
        if locked_reason:
            messages.error(request, locked_reason)
            return redirect(request.path)
        form = MonthlyReportForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.DATA_FIELDS}
            unsaved = MonthlyReport(factory=factory, month=month, **data)
            warnings = selectors.report_warnings(report=unsaved)
            try:
                report = services.report_save_draft(
                    factory=factory,
                    month=month,
                    data=data,
                    user=request.user,
                    expected_version=_expected_version(request),
                    # A form loaded before any report existed carries no version: it must not overwrite one
                    # that someone created meanwhile.
                    expect_new="version" not in request.POST,
                )
                if request.POST.get("action") == "submit":
                    report = services.report_submit(report=report, user=request.user)
                    messages.success(
                        request,
                        _("Report of %(factory)s for %(month)s submitted to the province for review.")
                        % {"factory": factory.name, "month": selectors.month_label(month)},
                    )
                    return redirect("reports:report_detail", pk=report.pk)
                messages.success(request, _("Draft saved. Submit it when the figures are complete."))
                return redirect(request.path)
            except ValidationError as error:
                _add_service_errors(form, error)
            except ConflictError as error:
                form.add_error(None, str(error))
                is_conflict = True
    else:
        initial = {name: getattr(report, name) for name in services.DATA_FIELDS} if report else None
        form = MonthlyReportForm(initial=initial, **form_kwargs)

    plan = selectors.month_plan(factory=factory, month=month)
    last_year = selectors.last_year_report(factory=factory, month=month)
    rows = [
        {
            "field": form[name],
            "plan": plan.get(name) if plan else None,
            "last_year": getattr(last_year, name) if last_year else None,
            "current": getattr(report, name) if report else None,
        }
        for name in selectors.FIGURE_FIELDS
    ]
    context = {
        "factory": factory,
        "month": month,
        "report": report,
        "form": form,
        "rows": rows,
        "plan": plan,
        "last_year": last_year,
        "locked_reason": locked_reason,
        "late_entry_grant": grant,
        "warnings": warnings,
        "deadline": selectors.entry_deadline(month),
        "days_in_month": selectors.days_in_month(month),
        "events": selectors.report_events(report=report) if report else [],
    }
    # A POST that gets here was refused (a saved one redirects): say so in the status too, 409 for a conflict.
    status = 409 if is_conflict else 400 if request.method == "POST" else 200
    return render(request, "factories/report_entry.html", context, status=status)


@login_required
@require_POST
def report_entry_check(request, factory_code: str, month: datetime.date):
    """The plausibility warnings of the figures typed so far, for the entry form to show before anything is
    saved (htmx). Saves nothing; a figure the form refuses (or not typed yet) is left out of the check, and its
    error is the form's to show on saving."""
    factory = _enterable_factory(request, factory_code, month)
    form = MonthlyReportForm(request.POST, month=month, capacity_unit=factory.capacity_unit)
    form.is_valid()  # fills cleaned_data with every figure that is valid on its own
    figures = {name: form.cleaned_data.get(name) for name in selectors.FIGURE_FIELDS}
    warnings = selectors.report_warnings(report=MonthlyReport(factory=factory, month=month, **figures))
    return render(request, "factories/_figure_warnings.html", {"warnings": warnings})


# --- one report ---------------------------------------------------------------------------------------


def _report_in_scope(request, pk: int) -> MonthlyReport:
    return scoping.get_in_scope_or_404(
        scoping.visible_reports(request.user).select_related(
            "factory__county__province", "approved_by", "submitted_by", "created_by"
        ),
        pk=pk,
    )


def _render_detail(request, report: MonthlyReport, *, return_form=None, reopen_form=None, status=200):
    user = request.user
    plan = selectors.month_plan(factory=report.factory, month=report.month)
    last_year = selectors.last_year_report(factory=report.factory, month=report.month)
    rows = [
        {
            "label": selectors.FIGURE_LABELS[name],
            "name": name,
            "value": getattr(report, name),
            "plan": plan.get(name) if plan else None,
            "last_year": getattr(last_year, name) if last_year else None,
        }
        for name in selectors.FIGURE_FIELDS
    ]
    is_reviewer = report.status == MonthlyReport.Status.SUBMITTED and (
        scoping.reviewable_reports(user).filter(pk=report.pk).exists()
    )
    can_reopen = scoping.is_administrator(user) and selectors.is_reopenable(report)
    can_edit = (
        scoping.enterable_factories(user).filter(pk=report.factory_id).exists()
        and selectors.report_locked_reason(report, report.month) is None
    )
    context = {
        "report": report,
        "factory": report.factory,
        "rows": rows,
        "plan": plan,
        "last_year": last_year,
        "warnings": selectors.report_warnings(report=report),
        "events": selectors.report_events(report=report),
        "history": selectors.report_history(report=report),
        "deadline": selectors.entry_deadline(report.month),
        "is_on_time": selectors.is_submitted_on_time(report),
        "is_reviewer": is_reviewer,
        "can_reopen": can_reopen,
        "can_edit": can_edit,
        "return_form": return_form or ReasonForm(prefix="return"),
        "reopen_form": reopen_form or ReasonForm(prefix="reopen"),
    }
    return render(request, "factories/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk: int):
    return _render_detail(request, _report_in_scope(request, pk))


@login_required
@require_POST
def report_approve(request, pk: int):
    report = _report_in_scope(request, pk)
    try:
        services.report_approve(report=report, user=request.user, expected_version=_expected_version(request))
    except (ValidationError, ConflictError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:report_detail", pk=pk)
    messages.success(request, _("Report of %(factory)s approved.") % {"factory": report.factory.name})
    next_report = selectors.review_queue(user=request.user).first()
    if next_report is not None:
        return redirect("reports:report_detail", pk=next_report.pk)
    return redirect("reports:review_queue")


@login_required
@require_POST
def report_return(request, pk: int):
    report = _report_in_scope(request, pk)
    form = ReasonForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.report_return(
                report=report,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=_expected_version(request),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Report returned to %(county)s with your reason.") % {"county": report.factory.county}
            )
            return redirect("reports:review_queue")
    else:
        scoping.require(
            scoping.reviewable_reports(request.user).filter(pk=report.pk).exists(),
            _("Only the province's officials may review this report."),
        )
    return _render_detail(request, report, return_form=form, status=400)


@login_required
@require_POST
def report_reopen(request, pk: int):
    report = _report_in_scope(request, pk)
    form = ReasonForm(request.POST, prefix="reopen")
    if form.is_valid():
        try:
            services.report_reopen(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Report reopened: the county can correct and resubmit it."))
            return redirect("reports:report_detail", pk=pk)
    else:
        scoping.require(scoping.is_administrator(request.user), _("Only programme administrators may reopen."))
    return _render_detail(request, report, reopen_form=form, status=400)


@login_required
def late_entry_allow(request, factory_code: str, month: datetime.date):
    """An administrator allows the missing report of a closed month to be entered (from the completeness page)."""
    scoping.require(scoping.is_administrator(request.user), _("Only programme administrators may allow a late entry."))
    factory = scoping.get_in_scope_or_404(
        scoping.visible_factories(request.user).select_related("county__province"), code=factory_code
    )
    completeness_url = f"{reverse('reports:completeness')}?month={month:%Y-%m}&province={factory.county.province.code}"
    form = ReasonForm(request.POST or None, prefix="late")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.late_entry_allow(
                    factory=factory, month=month, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(factory)s may now enter its report for %(month)s; it will count as late.")
                    % {"factory": factory.name, "month": selectors.month_label(month)},
                )
                return redirect(completeness_url)
    context = {
        "factory": factory,
        "month": month,
        "form": form,
        "deadline": selectors.entry_deadline(month),
        "grant": selectors.late_entry_grant(factory, month),
        "completeness_url": completeness_url,
    }
    return render(request, "factories/late_entry.html", context, status=status)


# --- review -------------------------------------------------------------------------------------------


@login_required
def review_queue(request):
    scoping.require(scoping.is_provincial_official(request.user), _("Only provincial officials review reports."))
    page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    reports = list(page.object_list)
    warnings = selectors.warnings_for_reports(reports)
    rows = [{"report": report, "warnings": warnings.get(report.pk, [])} for report in reports]
    context = {"page": page, "rows": rows, "query_without_page": _query_without_page(request)}
    return render(request, "factories/review_queue.html", context)


@login_required
@require_POST
def review_bulk_approve(request):
    scoping.require(scoping.is_provincial_official(request.user), _("Only provincial officials review reports."))
    ids = [value for value in request.POST.getlist("report") if value.isdigit()]
    if not ids:
        messages.warning(request, _("Select the reports to approve first."))
        return redirect("reports:review_queue")
    selection = scoping.reviewable_reports(request.user).filter(pk__in=ids)
    count = services.reports_approve_bulk(reports=selection, user=request.user)
    skipped = len(ids) - count
    if skipped:
        messages.warning(
            request,
            _("%(count)s reports approved; %(skipped)s were no longer waiting for review.")
            % {"count": count, "skipped": skipped},
        )
    else:
        messages.success(request, _("%(count)s reports approved.") % {"count": count})
    return redirect("reports:review_queue")


# --- lists, exports, completeness ---------------------------------------------------------------------


def _filtered_reports(request) -> ReportFilter:
    return ReportFilter(request.GET or None, queryset=selectors.report_list(user=request.user), request=request)


@login_required
def report_list(request):
    filterset = _filtered_reports(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query_without_page(request)
    context = {
        "filter": filterset,
        "page": page,
        "query_without_page": query,
        "can_import": scoping.is_administrator(request.user) or scoping.is_provincial_official(request.user),
    }
    return render(request, "factories/report_list.html", context)


@login_required
def report_export(request, file_format: str):
    filterset = _filtered_reports(request)
    if file_format == "xlsx":
        return exports.xlsx_response(filterset.qs)
    return exports.csv_response(filterset.qs)


@login_required
def completeness(request):
    user = request.user
    scoping.require(
        scoping.is_provincial_official(user) or scoping.is_analyst(user) or scoping.is_administrator(user),
        _("County officials see their own month on the “This month” page."),
    )
    month = _month_from_query(request.GET.get("month")) or selectors.add_months(
        selectors.first_of_month(timezone.localdate()), -1
    )
    provinces = None
    province = None
    if not scoping.is_provincial_official(user):
        provinces = list(scoping.visible_provinces(user).order_by("code"))
        code = request.GET.get("province")
        province = next((p for p in provinces if p.code == code), None)
    rows = selectors.completeness(user=user, month=month, province_id=province.pk if province else None)
    totals = {key: sum(getattr(row, key) for row in rows) for key in ("expected", "submitted", "on_time", "approved")}
    # The totals stay those of the whole scope; the table can be narrowed to the counties someone must chase.
    only_gaps = request.GET.get("gaps") == "1"
    if only_gaps:
        rows = [row for row in rows if row.missing_factories or row.returned_factories]
    context = {
        "month": month,
        "rows": rows,
        "totals": totals,
        "provinces": provinces,
        "province": province,
        "only_gaps": only_gaps,
        "deadline": selectors.entry_deadline(month),
        "can_allow_late_entry": scoping.is_administrator(user) and selectors.is_month_closed(month),
        "previous_month": selectors.add_months(month, -1),
        "next_month": selectors.add_months(month, 1),
    }
    return render(request, "factories/completeness.html", context)


def _month_from_query(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None


# --- import -------------------------------------------------------------------------------------------


def _require_importer(user) -> None:
    scoping.require(
        scoping.is_administrator(user) or scoping.is_provincial_official(user),
        _("Only administrators and provincial officials import reports."),
    )


@login_required
def report_import(request):
    _require_importer(request.user)
    if request.method == "POST":
        form = ReportImportForm(request.POST, request.FILES)
        if form.is_valid():
            report_import, parsed = services.report_import_preview(
                user=request.user, file_name=form.cleaned_data["file"].name, content=form.cleaned_data["content"]
            )
            context = {"report_import": report_import, "parsed": parsed, "errors": parsed.errors[:500]}
            return render(request, "factories/report_import_preview.html", context)
    else:
        form = ReportImportForm()
    context = {"form": form, "required_columns": REQUIRED_COLUMNS, "optional_columns": OPTIONAL_COLUMNS}
    return render(request, "factories/report_import.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def report_import_commit(request, pk: int):
    _require_importer(request.user)
    report_import = scoping.get_in_scope_or_404(scoping.visible_report_imports(request.user), pk=pk)
    try:
        report_import = services.report_import_commit(report_import=report_import, user=request.user)
    except ValidationError as error:
        context = {"report_import": report_import, "commit_errors": error.messages[:500]}
        return render(request, "factories/report_import_preview.html", context, status=400)
    messages.success(
        request,
        _("Imported %(file)s: %(created)s new reports, %(updated)s updated.")
        % {
            "file": report_import.file_name,
            "created": report_import.created_count,
            "updated": report_import.updated_count,
        },
    )
    return redirect(reverse("reports:report_list"))


@login_required
def report_import_template(request):
    _require_importer(request.user)
    response = HttpResponse(",".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) + "\r\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="monthly-reports-template.csv"'
    return response
