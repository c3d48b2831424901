"""Exports: streamed at once when small; written by a worker when large, with progress and a download link."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from factories import exports
from factories.models import ReportExport
from factories.services.exports import report_export_request
from factories.views.common import query_without_page
from regional import scoping


def background_export_or_response(request, queryset, file_format: str):
    """The file itself, or, past REPORT_EXPORT_BACKGROUND_ROWS rows, the page following its background writing."""
    rows = queryset.count()
    if rows <= settings.REPORT_EXPORT_BACKGROUND_ROWS:
        return exports.export_response(queryset, file_format)
    export = report_export_request(
        user=request.user, file_format=file_format, query=query_without_page(request), rows_expected=rows
    )
    return redirect("reports:report_export_status", pk=export.pk)


@login_required
@require_GET
def report_export_status(request, pk: int):
    export = scoping.get_in_scope_or_404(scoping.visible_report_exports(request.user), pk=pk)
    context = {
        "export": export,
        "is_expired": export.expires_at <= timezone.now(),
        "is_finished": export.status in (ReportExport.Status.READY, ReportExport.Status.FAILED),
    }
    template = "factories/_export_progress.html" if request.headers.get("HX-Request") else "factories/export.html"
    return render(request, template, context)


@login_required
@require_GET
def report_export_download(request, pk: int):
    export = scoping.get_in_scope_or_404(
        scoping.visible_report_exports(request.user),
        pk=pk,
        status=ReportExport.Status.READY,
        expires_at__gt=timezone.now(),
    )
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=exports.CONTENT_TYPES[export.file_format],
    )
