"""Parsing and validating a CSV of monthly reports, in sets: one query for the factories named in the file,
one for the reports already stored for them, whatever the number of rows. Writes are in `services`."""

import csv
import datetime
import functools
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from factories import selectors
from factories.models import MonthlyReport
from regional import scoping

REQUIRED_COLUMNS = ("factory_code", "month", *selectors.FIGURE_FIELDS)
OPTIONAL_COLUMNS = ("comment", "status")
IMPORTABLE_STATUSES = {
    "": MonthlyReport.Status.SUBMITTED,
    "submitted": MonthlyReport.Status.SUBMITTED,
    "approved": MonthlyReport.Status.APPROVED,
}


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportRow:
    line: int
    factory_id: int
    month: datetime.date
    figures: dict
    comment: str
    status: str
    existing: MonthlyReport | None = None


@dataclass
class ParsedImport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def created_count(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def updated_count(self) -> int:
        return sum(1 for row in self.rows if row.existing is not None)


# A file repeats a handful of months on every row; strptime was a quarter of the parse time (bench, import).
@functools.lru_cache(maxsize=4096)
def _parse_month(text: str) -> datetime.date | None:
    text = text.strip()
    for pattern in ("%Y-%m", "%Y-%m-%d"):
        try:
            value = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return value if value.day == 1 else None
    return None


def parse_report_csv(*, content: str, user, lock_existing: bool = False) -> ParsedImport:
    """Every row of the file checked against the same rules as the form; every bad row named by its line."""
    from factories.services import parse_figures, validate_report_figures

    result = ParsedImport()
    reader = csv.reader(io.StringIO(content))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        result.errors.append(RowError(1, _("The file is empty.")))
        return result
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        result.errors.append(RowError(1, _("Header: %(problems)s.") % {"problems": "; ".join(parts)}))
        return result

    raw_rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        raw_rows.append((reader.line_num, values))
    result.row_count = len(raw_rows)

    codes = {values[header.index("factory_code")].strip() for _line, values in raw_rows if len(values) == len(header)}
    factories = {factory.code: factory for factory in scoping.importable_factories(user).filter(code__in=codes)}
    current_month = selectors.first_of_month(timezone.localdate())
    seen: dict[tuple[int, datetime.date], int] = {}

    for line, values in raw_rows:
        if len(values) != len(header):
            result.errors.append(
                RowError(
                    line,
                    _("%(found)s values for %(expected)s columns.") % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        record = dict(zip(header, values, strict=True))
        problems = []
        code = record["factory_code"].strip()
        factory = factories.get(code)
        if factory is None:
            # The same words for an unknown code and a factory outside the user's scope: no existence leak.
            problems.append(_("no factory with code “%(code)s” in your area") % {"code": code})
        month = _parse_month(record["month"])
        if month is None:
            problems.append(_("month “%(value)s” is not YYYY-MM") % {"value": record["month"].strip()})
        elif month > current_month:
            problems.append(_("%(month)s has not started yet") % {"month": selectors.month_label(month)})
        elif factory is not None and not selectors.factory_operates_in(factory, month):
            problems.append(
                _("the factory was not in operation in %(month)s") % {"month": selectors.month_label(month)}
            )
        status_text = record.get("status", "").strip().lower()
        status = IMPORTABLE_STATUSES.get(status_text)
        if status is None:
            problems.append(_("status “%(value)s” must be submitted or approved") % {"value": status_text})
        figures, figure_errors = parse_figures({name: record[name] for name in selectors.FIGURE_FIELDS})
        if month is not None:
            for name, messages in validate_report_figures(month=month, figures=figures).items():
                figure_errors.setdefault(name, messages)
        for name, messages in figure_errors.items():
            problems.append(f"{name}: {' '.join(str(message) for message in messages)}")
        if factory is not None and month is not None:
            key = (factory.pk, month)
            if key in seen:
                problems.append(_("the same factory and month as line %(line)s") % {"line": seen[key]})
            else:
                seen[key] = line
        if problems:
            result.errors.append(RowError(line, "; ".join(str(problem) for problem in problems)))
            continue
        result.rows.append(ImportRow(line, factory.pk, month, figures, record.get("comment", "").strip(), status))

    _attach_existing(result, lock_existing=lock_existing)
    result.errors.sort(key=lambda error: error.line)
    return result


def _attach_existing(result: ParsedImport, *, lock_existing: bool) -> None:
    if not result.rows:
        return
    existing = MonthlyReport.objects.filter(
        factory_id__in={row.factory_id for row in result.rows}, month__in={row.month for row in result.rows}
    )
    if lock_existing:
        existing = existing.select_for_update()
    by_key = {(report.factory_id, report.month): report for report in existing}
    kept = []
    for row in result.rows:
        row.existing = by_key.get((row.factory_id, row.month))
        if row.existing is not None and row.existing.status == MonthlyReport.Status.APPROVED:
            result.errors.append(
                RowError(row.line, _("this month's report is already approved; an administrator must reopen it"))
            )
            continue
        kept.append(row)
    result.rows = kept
