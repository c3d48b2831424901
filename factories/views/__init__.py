"""HTML views of monthly reports: scope → form → service/selector → render. No business rules here."""

from factories.views.entry import report_entry, report_entry_check, this_month
from factories.views.exports import report_export_download, report_export_status
from factories.views.imports import report_import, report_import_commit, report_import_template
from factories.views.lists import (
    completeness,
    report_export,
    report_list,
    review_bulk_approve,
    review_queue,
    review_return_form,
)
from factories.views.report import (
    late_entry_allow,
    report_approve,
    report_detail,
    report_recall,
    report_reopen,
    report_return,
)

__all__ = [
    "completeness",
    "late_entry_allow",
    "report_approve",
    "report_detail",
    "report_entry",
    "report_entry_check",
    "report_export",
    "report_export_download",
    "report_export_status",
    "report_import",
    "report_import_commit",
    "report_import_template",
    "report_list",
    "report_recall",
    "report_reopen",
    "report_return",
    "review_bulk_approve",
    "review_queue",
    "review_return_form",
    "this_month",
]
