"""Writes of monthly reports: entry, submission, review, reopening, bulk approval and the CSV import.

Every service checks the user's role and scope itself (PermissionDenied), refuses bad input or a forbidden
transition with a ValidationError (a field → messages dict where it concerns fields), refuses a write based
on a stale `expected_version` with ConflictError, and bumps `version` on every write.
"""

from factories.services.figures import (
    COMMENT_MAX_LENGTH,
    DATA_FIELDS,
    figure_limits,
    parse_figure,
    parse_figures,
    validate_report_figures,
)
from factories.services.imports import (
    IMPORT_BATCH_SIZE,
    IMPORTED_COLUMNS,
    report_import_commit,
    report_import_preview,
)
from factories.services.workflow import (
    late_entry_allow,
    report_approve,
    report_recall,
    report_reopen,
    report_return,
    report_save_draft,
    report_submit,
    reports_approve_bulk,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "DATA_FIELDS",
    "IMPORTED_COLUMNS",
    "IMPORT_BATCH_SIZE",
    "figure_limits",
    "late_entry_allow",
    "parse_figure",
    "parse_figures",
    "report_approve",
    "report_import_commit",
    "report_import_preview",
    "report_recall",
    "report_reopen",
    "report_return",
    "report_save_draft",
    "report_submit",
    "reports_approve_bulk",
    "validate_report_figures",
]
