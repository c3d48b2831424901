"""One report: its page, the province's approval or return, an administrator's reopening and the late
entry of a report a closed month never received."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factories import selectors, services
from factories.forms import ReasonForm
from factories.models import MonthlyReport
from factories.views.common import add_service_errors, expected_version
from factories.views.lists import back_to_queue
from regional import scoping
from regional.exceptions import ConflictError


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
    can_recall = selectors.report_is_recallable(report) and (
        scoping.enterable_factories(user).filter(pk=report.factory_id).exists()
    )
    warnings = selectors.report_warnings(report=report)
    history = selectors.figure_history(report=report) if (warnings or is_reviewer) else None
    sees_workflow = scoping.sees_report_workflow(user)
    context = {
        "can_recall": can_recall,
        "figure_history": history,
        "return_reasons": (
            selectors.review_suggestions(report=report, history=history, is_flagged=bool(warnings))
            if is_reviewer
            else []
        ),
        "next_report": (
            selectors.next_in_queue(user=user, report=report) if scoping.is_provincial_official(user) else None
        ),
        "report": report,
        "factory": report.factory,
        "rows": rows,
        "plan": plan,
        "last_year": last_year,
        "warnings": warnings,
        "sees_workflow": sees_workflow,
        "events": selectors.report_events(report=report) if sees_workflow else [],
        "history": selectors.report_history(report=report) if sees_workflow else [],
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
@require_safe
def report_detail(request, pk: int):
    return _render_detail(request, _report_in_scope(request, pk))


@login_required
@require_POST
def report_approve(request, pk: int):
    report = _report_in_scope(request, pk)
    try:
        services.report_approve(report=report, user=request.user, expected_version=expected_version(request))
    except (ValidationError, ConflictError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:report_detail", pk=pk)
    messages.success(request, _("Report of %(factory)s approved.") % {"factory": report.factory.name})
    if request.POST.get("next"):
        return back_to_queue(request)
    next_report = selectors.review_queue(user=request.user).first()
    if next_report is not None:
        return redirect("reports:report_detail", pk=next_report.pk)
    return redirect("reports:review_queue")


@login_required
@require_POST
def report_recall(request, pk: int):
    """The county takes back its submitted, not yet reviewed report to correct it."""
    report = _report_in_scope(request, pk)
    try:
        report = services.report_recall(report=report, user=request.user, expected_version=expected_version(request))
    except (ValidationError, ConflictError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:report_detail", pk=pk)
    messages.success(request, _("Report recalled: it is a draft again. Correct it and submit it again."))
    return redirect("reports:report_entry", factory_code=report.factory.code, month=report.month)


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
                expected_version=expected_version(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Report returned to %(county)s with your reason.") % {"county": report.factory.county}
            )
            return back_to_queue(request)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Report reopened: the county can correct and resubmit it."))
            return redirect("reports:report_detail", pk=pk)
    else:
        scoping.require(scoping.is_administrator(request.user), _("Only programme administrators may reopen."))
    return _render_detail(request, report, reopen_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
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
                add_service_errors(form, error)
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
