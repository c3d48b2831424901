"""The review queue and bulk approval, the filtered list and its exports, and completeness per county."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from factories import exports, selectors, services
from factories.filters import ReportFilter
from factories.views.common import PAGE_SIZE, query_without_page
from regional import scoping


@login_required
@require_safe
def review_queue(request):
    scoping.require(scoping.is_provincial_official(request.user), _("Only provincial officials review reports."))
    page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    reports = list(page.object_list)
    warnings = selectors.warnings_for_reports(reports)
    rows = [{"report": report, "warnings": warnings.get(report.pk, [])} for report in reports]
    context = {"page": page, "rows": rows, "query_without_page": query_without_page(request)}
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
@require_safe
def report_list(request):
    filterset = _filtered_reports(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    context = {
        "filter": filterset,
        "page": page,
        "query_without_page": query,
        "can_import": scoping.is_administrator(request.user) or scoping.is_provincial_official(request.user),
    }
    return render(request, "factories/report_list.html", context)


@login_required
@require_safe
def report_export(request, file_format: str):
    filterset = _filtered_reports(request)
    if file_format == "xlsx":
        return exports.xlsx_response(filterset.qs)
    return exports.csv_response(filterset.qs)


@login_required
@require_safe
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
        rows = [row for row in rows if row.missing_count or row.returned_count]
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
