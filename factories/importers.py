"""Parsing and validating a CSV of monthly reports, in sets: one query for the factories named in the file,
one for the reports already stored for them, whatever the number of rows. Writes are in `services`."""

import csv
import datetime
import functools
import io
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from factories import selectors
from factories.models import MonthlyReport
from regional import scoping

REQUIRED_COLUMNS = ("factory_code", "month", *selectors.FIGURE_FIELDS)
# `demo`: DEMO on the rows of demonstration factories in the pre-filled template; ignored on import.
OPTIONAL_COLUMNS = ("comment", "status", "demo")
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


def _check_month(text: str, current_month: datetime.date) -> tuple[datetime.date | None, str | None, int]:
    """The month a cell names, the problem with it if any, and its number of days (0 without a month)."""
    month = _parse_month(text)
    if month is None:
        return None, _("month “%(value)s” is not YYYY-MM") % {"value": text.strip()}, 0
    if month >= current_month:
        # Every imported row is submitted or approved, which a month still under way cannot be.
        problem = _("%(month)s has not ended yet; its reports can be imported from %(day)s") % {
            "month": selectors.month_label(month),
            "day": selectors.day_label(selectors.submission_opens_at(month).date()),
        }
        return month, problem, selectors.days_in_month(month)
    return month, None, selectors.days_in_month(month)


# A figure written plainly: ASCII digits, for money and tonnes at most two decimals, with blanks around it. Such
# text parses to the same number as `parse_figures` gives, so only its range needs checking here; anything else
# (signs, exponents, spaces inside, "1.000") goes through `parse_figures` and `validate_report_figures`, which decide
# and word the error. Building Decimals through the generic path was most of the per-row cost of a 100,000-row
# import (bench, import). `\s` is what str.strip() removes (str.isspace()), so "\s*x\s*" is "x once stripped".
_PLAIN_INTEGER_CELL = r"\s*([0-9]+)\s*"
_PLAIN_DECIMAL_CELL = r"\s*([0-9]+(?:\.[0-9]{1,2})?)\s*"
# The row's figure cells are matched as one text, joined by NUL: a file with a NUL is refused before any row is
# read (`nul_character_error`), so no cell contains it. One match a row instead of one a figure (bench, import).
_CELL_SEPARATOR = "\x00"


@dataclass(frozen=True)
class _FigurePlan:
    """How the file's figure cells are read plainly: where they are, one pattern for all of them, and per figure
    its name, its number type and its (exclusive) limit."""

    pick: Callable[[list[str]], tuple[str, ...]]
    pattern: re.Pattern
    figures: tuple[tuple[str, type, object], ...]

    @classmethod
    def of(cls, column: dict[str, int], limits: dict) -> "_FigurePlan":
        is_integer = [name in selectors.INTEGER_FIGURE_FIELDS for name in selectors.FIGURE_FIELDS]
        return cls(
            pick=operator.itemgetter(*(column[name] for name in selectors.FIGURE_FIELDS)),
            pattern=re.compile(
                _CELL_SEPARATOR.join(_PLAIN_INTEGER_CELL if integer else _PLAIN_DECIMAL_CELL for integer in is_integer)
            ),
            figures=tuple(
                (name, int if integer else Decimal, limits[name])
                for name, integer in zip(selectors.FIGURE_FIELDS, is_integer, strict=True)
            ),
        )

    def cells(self, values: list[str]) -> dict[str, str]:
        return dict(zip((name for name, _type, _limit in self.figures), self.pick(values), strict=True))


def _plain_valid_figures(values: list[str], plan: _FigurePlan, days_in_month: int) -> dict | None:
    """The row's figures if every one is plainly written and passes every rule of `validate_report_figures`;
    None otherwise (the caller then runs those rules for their messages)."""
    match = plan.pattern.fullmatch(_CELL_SEPARATOR.join(plan.pick(values)))
    if match is None:
        return None
    figures = {}
    for (name, number_type, limit), text in zip(plan.figures, match.groups(), strict=True):
        number = number_type(text)
        if number >= limit:
            return None
        figures[name] = number
    if figures["raw_material_from_own_bases_tonnes"] > figures["raw_material_used_tonnes"]:
        return None
    if figures["days_worked"] > days_in_month:
        return None
    return figures


def nul_character_error(content: str) -> RowError | None:
    """A NUL character means the file is not text (PostgreSQL cannot even store it): the line of the first one."""
    at = content.find("\x00")
    if at < 0:
        return None
    line = content.count("\n", 0, at) + 1 if "\n" in content else content.count("\r", 0, at) + 1
    return RowError(
        line, _("The file contains a NUL character (line %(line)s): it is not a text CSV file.") % {"line": line}
    )


def _read_rows(reader, result: ParsedImport) -> list[tuple[int, list[str]]] | None:
    """The non-blank rows with their line numbers; None (and the error) when the file is not readable CSV."""
    raw_rows = []
    try:
        for values in reader:
            if not "".join(values).strip():  # blank: no cell has anything but spaces
                continue
            raw_rows.append((reader.line_num, values))
    except csv.Error as error:
        result.errors.append(RowError(reader.line_num, _csv_error_message(error)))
        return None
    return raw_rows


def _csv_error_message(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return _(
            "a cell is longer than %(limit)s characters; no figure or comment is that long (a quote left open makes "
            "the rest of the file one cell)"
        ) % {"limit": f"{csv.field_size_limit():,}"}
    return _("the file cannot be read as CSV here (%(problem)s)") % {"problem": error}


def parse_report_csv(*, content: str, user, lock_existing: bool = False) -> ParsedImport:
    """Every row of the file checked against the same rules as the form; every bad row named by its line."""
    from factories.services import COMMENT_MAX_LENGTH, figure_limits, parse_figures, validate_report_figures
    from factories.services.figures import comment_too_long_message

    result = ParsedImport()
    nul_error = nul_character_error(content)
    if nul_error is not None:
        result.errors.append(nul_error)
        return result
    # newline="": lines may end in CRLF, LF or a lone CR (old spreadsheet exports); the csv module splits them all
    # and keeps line breaks inside quoted cells.
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        result.errors.append(RowError(1, _("The file is empty.")))
        return result
    except csv.Error as error:
        result.errors.append(RowError(1, _csv_error_message(error)))
        return result
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or repeated:
        parts = []
        if missing:
            parts.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(names)s") % {"names": ", ".join(name or "“”" for name in unknown)})
        if repeated:
            # Refused rather than guessing which of two columns of the same name is meant.
            parts.append(_("columns given twice: %(names)s") % {"names": ", ".join(repeated)})
        result.errors.append(RowError(1, _("Header: %(problems)s.") % {"problems": "; ".join(parts)}))
        return result

    raw_rows = _read_rows(reader, result)
    if raw_rows is None:
        return result
    result.row_count = len(raw_rows)

    codes = {values[header.index("factory_code")].strip() for _line, values in raw_rows if len(values) == len(header)}
    # Per factory code: its id and the first month it reports for (None: no month), looked up once, not per row.
    factories = {
        factory.code: (factory.pk, selectors.factory_first_operating_month(factory))
        for factory in scoping.importable_factories(user).filter(code__in=codes)
    }
    current_month = selectors.month_in_progress()
    seen: dict[tuple[int, datetime.date], int] = {}
    # Column positions instead of a dict per row (each name appears once: checked above).
    column = {name: index for index, name in enumerate(header)}
    code_at, month_at = column["factory_code"], column["month"]
    comment_at, status_at = column.get("comment"), column.get("status")
    figure_plan = _FigurePlan.of(column, figure_limits())
    # Per distinct month text: a file repeats a few on every row.
    month_checks: dict[str, tuple[datetime.date | None, str | None, int]] = {}

    for line, values in raw_rows:
        if len(values) != len(header):
            result.errors.append(
                RowError(
                    line,
                    _("%(found)s values for %(expected)s columns.") % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        problems = []
        code = values[code_at].strip()
        factory = factories.get(code)
        factory_id, first_month = factory if factory is not None else (None, None)
        if factory is None:
            # The same words for an unknown code and a factory outside the user's scope: no existence leak.
            problems.append(_("no factory with code “%(code)s” in your area") % {"code": code})
        month_text = values[month_at]
        checked = month_checks.get(month_text)
        if checked is None:
            checked = month_checks[month_text] = _check_month(month_text, current_month)
        month, month_problem, days_in_month = checked
        if month_problem is not None:
            problems.append(month_problem)
        elif factory is not None and (first_month is None or month < first_month):  # = factory_operates_in
            label = selectors.month_label(month)
            problems.append(_("the factory was not in operation in %(month)s") % {"month": label})
        status_text = values[status_at].strip().lower() if status_at is not None else ""
        status = IMPORTABLE_STATUSES.get(status_text)
        if status is None:
            problems.append(_("status “%(value)s” must be submitted or approved") % {"value": status_text})
        figures = _plain_valid_figures(values, figure_plan, days_in_month) if month is not None else None
        if figures is None:
            # Not plainly valid: the shared rules decide, with their exact messages.
            figures, figure_errors = parse_figures(figure_plan.cells(values))
            if month is not None:
                for name, messages in validate_report_figures(month=month, figures=figures).items():
                    figure_errors.setdefault(name, messages)
            for name, messages in figure_errors.items():
                problems.append(f"{name}: {' '.join(str(message) for message in messages)}")
        if factory is not None and month is not None:
            key = (factory_id, month)
            if key in seen:
                problems.append(_("the same factory and month as line %(line)s") % {"line": seen[key]})
            else:
                seen[key] = line
        comment = values[comment_at].strip() if comment_at is not None else ""
        if len(comment) > COMMENT_MAX_LENGTH:
            problems.append(f"comment: {comment_too_long_message(len(comment))}")
        if problems:
            result.errors.append(RowError(line, "; ".join(str(problem) for problem in problems)))
            continue
        result.rows.append(ImportRow(line, factory_id, month, figures, comment, status))

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
