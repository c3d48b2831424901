"""CSV import of reports: upload and dry run, commit, template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factories import import_templates, selectors, services
from factories.forms import ReportImportForm
from factories.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from regional import scoping


def _require_importer(user) -> None:
    scoping.require(
        scoping.is_administrator(user) or scoping.is_provincial_official(user),
        _("Only administrators and provincial officials import reports."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_import(request):
    _require_importer(request.user)
    if request.method == "POST":
        form = ReportImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report_import, parsed = services.report_import_preview(
                    user=request.user, file_name=form.cleaned_data["file"].name, content=form.cleaned_data["content"]
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                context = {"report_import": report_import, "parsed": parsed, "errors": parsed.errors[:500]}
                return render(request, "factories/report_import_preview.html", context)
    else:
        form = ReportImportForm()
    context = {
        "form": form,
        "required_columns": REQUIRED_COLUMNS,
        "optional_columns": OPTIONAL_COLUMNS,
        "example_factory_code": selectors.import_example_factory_code(user=request.user),
        "template_month": selectors.import_template_month(),
    }
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
@require_safe
def report_import_template(request, file_format: str):
    """The template pre-filled with the user's factories to report for a month (`?month=YYYY-MM`, an ended one;
    by default the last month that has ended), as CSV or XLSX."""
    _require_importer(request.user)
    month = selectors.import_template_month(request.GET.get("month"))
    factories = selectors.import_template_factories(user=request.user, month=month)
    if file_format == "xlsx":
        return import_templates.template_xlsx_response(factories, month)
    return import_templates.template_csv_response(factories, month)
