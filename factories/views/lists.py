"""The review queue and bulk approval, the filtered list and its exports, and completeness per county."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from factories import selectors, services
from factories.filters import ReportFilter, ReviewQueueFilter
from factories.models import MonthlyReport
from factories.views.common import PAGE_SIZE, query_without_page
from factories.views.exports import background_export_or_response
from regional import scoping


@login_required
@require_safe
def review_queue(request):
    scoping.require(scoping.is_provincial_official(request.user), _("Only provincial officials review reports."))
    queue = selectors.review_queue(user=request.user)
    filterset = ReviewQueueFilter(request.GET or None, queryset=queue, request=request)
    # Every waiting report's flag (the count, the warnings filter), and full rows for the page shown only.
    queue = selectors.ReviewQueue(reports=filterset.qs, is_flagged=filterset.is_flagged)
    page = Paginator(queue.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "is_filtered": filterset.is_bound and any(filterset.form.cleaned_data.values()),
        "page": page,
        "rows": queue.rows(page.object_list),
        "flagged_count": queue.flagged_count,
        "query_without_page": query_without_page(request),
        "this_page": request.get_full_path(),
    }
    return render(request, "factories/review_queue.html", context)


@login_required
@require_safe
def review_return_form(request, pk: int):
    """A queue row's Return box, loaded when the reviewer opens it (htmx): the ready-made reasons are worked out
    for that report only, and the queue page does not carry a form per row (bench, pages)."""
    scoping.require(scoping.is_provincial_official(request.user), _("Only provincial officials review reports."))
    # The queue is scoped to the reviewer's province: a report outside it, or no longer waiting, is not found.
    queue = selectors.ReviewQueue(reports=selectors.review_queue(user=request.user).filter(pk=pk))
    rows = queue.rows(queue.entries)
    if not rows:
        raise Http404
    context = {
        "row": rows[0],
        "report": rows[0].report,
        "this_page": queue_page_from(request.GET.get("next", ""), request),
    }
    return render(request, "factories/_queue_return_form.html", context)


def queue_page_from(target: str, request) -> str:
    """`target` if it is a page of the queue on this site, else the queue itself."""
    queue_url = reverse("reports:review_queue")
    if target.startswith(queue_url) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return queue_url


def back_to_queue(request):
    """Where a review action taken from the queue returns: the queue as it was (filters and page kept)."""
    return redirect(queue_page_from(request.POST.get("next", ""), request))


@login_required
@require_POST
def review_bulk_approve(request):
    scoping.require(scoping.is_provincial_official(request.user), _("Only provincial officials review reports."))
    # A flagged report's row carries an acknowledgement box instead of a plain selection box: ticking it
    # selects the report and says its warnings were read.
    acknowledged = [int(value) for value in request.POST.getlist("acknowledge") if value.isdigit()]
    ids = {int(value) for value in request.POST.getlist("report") if value.isdigit()} | set(acknowledged)
    if not ids:
        messages.warning(request, _("Select the reports to approve first."))
        return back_to_queue(request)
    selection = scoping.reviewable_reports(request.user).filter(pk__in=ids)
    in_progress = sorted(
        set(
            selection.filter(status=MonthlyReport.Status.SUBMITTED, month__gte=selectors.month_in_progress())
            .values_list("month", flat=True)
            .distinct()
        )
    )
    try:
        count = services.reports_approve_bulk(reports=selection, user=request.user, acknowledged_ids=acknowledged)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back_to_queue(request)
    skipped = len(ids) - count
    for month in in_progress:
        # Reports of a month still under way stay in the queue: say when they can be approved.
        messages.warning(request, selectors.month_not_ended_reason(month, for_review=True))
    if skipped:
        messages.warning(
            request,
            _("%(count)s reports approved; %(skipped)s were no longer waiting for review.")
            % {"count": count, "skipped": skipped},
        )
    else:
        messages.success(request, _("%(count)s reports approved.") % {"count": count})
    return back_to_queue(request)


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
    return background_export_or_response(request, filterset.qs, file_format)


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
    grid = selectors.completeness_grid(user=user, last_month=month, province=province)
    totals = {key: sum(getattr(row, key) for row in rows) for key in ("expected", "submitted", "on_time", "approved")}
    # The totals stay those of the whole scope; the table can be narrowed to the counties someone must chase.
    only_gaps = request.GET.get("gaps") == "1"
    if only_gaps:
        rows = [row for row in rows if row.missing_count or row.returned_count]
    context = {
        "month": month,
        "grid": grid,
        # Analysts read approved reports only: they get counts of returned reports, not whose they are.
        "show_returned_names": not scoping.is_analyst(user),
        "has_demo_data": any(row.is_demo for row in rows) or any(row.is_demo for row in grid.rows),
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
