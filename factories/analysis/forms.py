from django import forms
from django.utils.translation import gettext_lazy as _

from factories.analysis.choropleth import (
    LEVELS,
    PERIOD_KEYS,
    PIVOT_MEASURES,
    STANDINGS_MEASURES,
    MapQuery,
    period_label,
)
from factories.analysis.pivot import COLUMNS, MEASURES, ROWS, PivotQuery
from factories.models import FactoryKind


class PivotForm(forms.Form):
    """The explorer's choices; kept in the URL so a view can be bookmarked and shared."""

    measure = forms.ChoiceField(
        label=_("Measure"),
        choices=list(MEASURES.items()),
        initial="output_value",
        help_text=_(
            "Reporting discipline, completeness and the standings measures follow the standings methodology: they "
            "count the months of factories in operation whose entry period has closed. Completeness is the share of "
            "those months with an approved report; reporting discipline the share whose report is approved and was "
            "first submitted by the deadline. In a month or quarter column each measure is worked out over that "
            "period alone: growth against the same months a year earlier, product range from each factory's best "
            "month of the period."
        ),
    )
    rows = forms.ChoiceField(label=_("Rows"), choices=list(ROWS.items()), initial="province")
    columns = forms.ChoiceField(label=_("Columns"), choices=list(COLUMNS.items()), initial="month")
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    province = forms.CharField(label=_("Province"), required=False, max_length=10)
    kind = forms.ChoiceField(label=_("Factory kind"), required=False, choices=[("", _("all")), *FactoryKind.choices])
    round = forms.IntegerField(label=_("Programme round"), required=False, min_value=2000, max_value=2100)
    chart = forms.ChoiceField(
        label=_("Chart"), choices=[("bar", _("bars")), ("line", _("lines"))], initial="bar", required=False
    )

    def __init__(self, data, *, provinces, default_year: int):
        values = {name: field.initial for name, field in self.base_fields.items() if field.initial is not None}
        values["year"] = default_year
        values.update({key: value for key, value in data.items() if value != "" or key in ("year", "round")})
        super().__init__(values)
        self.fields["province"] = forms.ChoiceField(
            label=_("Province"), required=False, choices=[("", _("all"))] + [(p.code, str(p)) for p in provinces]
        )

    def pivot_query(self) -> PivotQuery:
        data = self.cleaned_data
        return PivotQuery(
            measure=data["measure"],
            rows=data["rows"],
            columns=data["columns"],
            year=data.get("year"),
            province=data.get("province") or "",
            kind=data.get("kind") or "",
            round=data.get("round"),
            chart=data.get("chart") or "bar",
        )


class MapForm(forms.Form):
    """The map's choices, kept in the URL like the explorer's."""

    measure = forms.ChoiceField(label=_("Measure"), initial="rank")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Period (report measures)"), required=False, initial="")
    level = forms.ChoiceField(label=_("Areas"), required=False, initial="county")

    def __init__(self, data, *, default_year: int):
        values = {"measure": "rank", "year": default_year, "period": "", "level": "county"}
        values.update({key: value for key, value in data.items() if value != ""})
        super().__init__(values)
        self.fields["measure"].choices = [
            (_("Standings"), list(STANDINGS_MEASURES.items())),
            (_("Approved reports"), list(PIVOT_MEASURES.items())),
        ]
        self.fields["period"].choices = [(key, period_label(key)) for key in PERIOD_KEYS]
        self.fields["level"].choices = list(LEVELS.items())

    def map_query(self):
        data = self.cleaned_data
        return MapQuery(
            measure=data["measure"],
            year=data["year"],
            period=data.get("period") or "",
            level=data.get("level") or "county",
        )
