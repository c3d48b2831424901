"""The county's entry: this month, the report form and its live plausibility check."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factories import selectors, services
from factories.forms import MonthlyReportForm
from factories.models import MonthlyReport
from factories.views.common import add_service_errors, expected_version
from regional import scoping
from regional.exceptions import ConflictError


@login_required
@require_safe
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
@require_http_methods(["GET", "HEAD", "POST"])
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
    form_kwargs = {"month": month, "capacity_unit": factory.capacity_unit_label}
    warnings = selectors.report_warnings(report=report) if report else []
    is_conflict = False
    # Why the last press of "Submit" saved a draft but submitted nothing, shown beside the buttons.
    submit_refusal = None

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
                    expected_version=expected_version(request),
                    # A form loaded before any report existed carries no version: it must not overwrite one
                    # that someone created meanwhile.
                    expect_new="version" not in request.POST,
                )
                if request.POST.get("action") != "submit":
                    messages.success(request, _("Draft saved. Submit it when the figures are complete."))
                    return redirect(request.path)
                try:
                    report = services.report_submit(report=report, user=request.user)
                except ValidationError as error:
                    # The figures are kept as a draft; the page says so and why nothing was submitted.
                    if hasattr(error, "error_dict"):
                        add_service_errors(form, error)
                    submit_refusal = " ".join(error.messages)
                else:
                    messages.success(
                        request,
                        _("Report of %(factory)s for %(month)s submitted to the province for review.")
                        % {"factory": factory.name, "month": selectors.month_label(month)},
                    )
                    return redirect("reports:report_detail", pk=report.pk)
            except ValidationError as error:
                add_service_errors(form, error)
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
        "submit_refusal": submit_refusal,
        "submission_not_open_reason": selectors.month_not_ended_reason(month),
    }
    if submit_refusal and "comment" in form.errors:
        # The comment is what stands between the county and a submission: put the cursor there.
        form.fields["comment"].widget.attrs["autofocus"] = True
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
    form = MonthlyReportForm(request.POST, month=month, capacity_unit=factory.capacity_unit_label)
    form.is_valid()  # fills cleaned_data with every figure that is valid on its own
    figures = {name: form.cleaned_data.get(name) for name in selectors.FIGURE_FIELDS}
    warnings = selectors.report_warnings(report=MonthlyReport(factory=factory, month=month, **figures))
    return render(request, "factories/_figure_warnings.html", {"warnings": warnings})
