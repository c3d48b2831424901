"""Writing many new monthly reports at the speed of PostgreSQL's COPY, with their history rows and events.

The CSV import is the one place that writes tens of thousands of reports at once. Django's `bulk_create` (and
simple_history's `bulk_create_with_history` on top of it) prepares every field of every row in Python: for
100,000 rows that took ~50× a raw COPY of the same rows (bench/README.md, import benchmark). Here the rows reach
a temporary table by COPY, and one statement moves them into the reports table and writes, from what it
inserted, their history rows ("+", as simple_history writes them) and their workflow events. Other databases
(SQLite in development) keep the ORM path in `services`.
"""

import csv
import datetime
import io
from collections.abc import Sequence

from django.db import connection

from factories.models import MonthlyReport, ReportEvent

STAGING_TABLE = "import_new_reports"


def is_available() -> bool:
    return connection.vendor == "postgresql"


def reports_create_by_copy(
    *,
    columns: Sequence[str],
    rows: list[tuple],
    common: dict,
    approved_only: dict | None = None,
    user_id: int,
    now: datetime.datetime,
    history_reason: str,
) -> int:
    """Insert the new reports (`rows`: values of the field attnames `columns`; `common`: attname → value the
    same for every report; `approved_only`: attname → value of the approved reports, NULL on the others; other
    fields get the model's defaults), one history row each, a submission event each
    and an approval event for each approved one, with the reason, all in the caller's transaction. Returns the
    number of reports inserted."""
    if not rows:
        return 0
    fields = [field for field in MonthlyReport._meta.concrete_fields if not field.primary_key]
    approved_only = approved_only or {}
    constants = {}
    for field in fields:
        if field.attname in columns:
            continue
        if field.attname in approved_only:
            constants[field.attname] = field.get_db_prep_value(approved_only[field.attname], connection)
        elif field.attname in common:
            constants[field.attname] = field.get_db_prep_value(common[field.attname], connection)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[field.attname] = now
        else:
            constants[field.attname] = field.get_db_prep_value(field.get_default(), connection)
    # Only the columns that differ between rows cross by COPY; the constants are parameters of the INSERT (each
    # str() of a repeated timestamp per row was a large part of the Python time, bench, import). Values are
    # already Python's (Decimal, int, date, aware datetime, str): their str() is what COPY reads, so no per-field
    # preparation. QUOTE_NOTNULL: None goes bare, which COPY reads as NULL, and everything else quoted, so an
    # empty comment stays ''.
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(rows)
    buffer.seek(0)

    quote = connection.ops.quote_name
    by_attname = {field.attname: field for field in fields}
    copied = ", ".join(quote(by_attname[name].column) for name in columns)
    target_columns = [quote(field.column) for field in fields]
    status_column = quote(MonthlyReport._meta.get_field("status").column)

    def selected_value(field) -> str:
        if field.attname in approved_only:
            # Decided in SQL from the status: no timestamp formatted and copied per row (bench, import).
            return f"CASE WHEN {status_column} = %(approved)s THEN %(constant_{field.attname})s END"
        return f"%(constant_{field.attname})s" if field.attname in constants else quote(field.column)

    selected = [selected_value(field) for field in fields]
    history_model = MonthlyReport.history.model
    history_columns, history_values = [], []
    for field in history_model._meta.concrete_fields:
        if field.primary_key:
            continue
        history_columns.append(quote(field.column))
        special = {
            "history_date": "%(now)s",
            "history_change_reason": "%(reason)s",
            "history_type": "'+'",
            "history_user_id": "%(user_id)s",
        }
        history_values.append(special.get(field.attname, f"inserted.{quote(field.column)}"))
    report_table, event_table = MonthlyReport._meta.db_table, ReportEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING_TABLE} ON COMMIT DROP AS SELECT {copied} FROM {report_table} WITH NO DATA"
        )
        cursor.copy_expert(f"COPY {STAGING_TABLE} ({copied}) FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute(
            f"""
            WITH inserted AS (
                INSERT INTO {report_table} ({", ".join(target_columns)})
                SELECT {", ".join(selected)} FROM {STAGING_TABLE} RETURNING *
            ),
            history AS (
                INSERT INTO {history_model._meta.db_table} ({", ".join(history_columns)})
                SELECT {", ".join(history_values)} FROM inserted
            ),
            events AS (
                INSERT INTO {event_table} (report_id, kind, actor_id, at, reason)
                SELECT id, %(submitted)s, %(user_id)s, %(now)s, %(reason)s FROM inserted
                UNION ALL
                SELECT id, %(approved)s, %(user_id)s, %(now)s, %(reason)s FROM inserted WHERE status = %(approved)s
            )
            SELECT count(*) FROM inserted
            """,
            {
                "now": now,
                "reason": history_reason,
                "submitted": ReportEvent.Kind.SUBMITTED.value,
                "approved": ReportEvent.Kind.APPROVED.value,
                "user_id": user_id,
                **{f"constant_{name}": value for name, value in constants.items()},
            },
        )
        inserted = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")
    return inserted
