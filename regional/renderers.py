"""CSV for the lists a spreadsheet user wants, safe to open in a spreadsheet."""

import csv
import io

from rest_framework.renderers import BaseRenderer

from regional.spreadsheets import neutralise_formula


def neutralise_cell(value) -> str:
    """The cell text, with a leading `'` when a spreadsheet would otherwise run it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item) for item in value)
    return neutralise_formula(str(value))


class CsvRenderer(BaseRenderer):
    """Renders a page of a list (`results`) or a plain list of flat objects, one row each; header = field names."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        header = self._header(rows, renderer_context or {})
        if header:
            writer.writerow(header)
            for row in rows:
                writer.writerow([neutralise_cell(row.get(field)) for field in header])
        return buffer.getvalue().encode(self.charset)

    @staticmethod
    def _header(rows, renderer_context) -> list[str]:
        # From the serializer, so an empty page still says which columns there would be.
        view = renderer_context.get("view")
        if view is not None and hasattr(view, "get_serializer_class"):
            return list(view.get_serializer_class()().fields)
        return list(rows[0].keys()) if rows else []
