"""Reads of the reference data and the programme schedule: aggregates in SQL, never a query per row."""

from regional.selectors.counties import (
    CountyDetail,
    ProgrammeStatus,
    ProvinceSummary,
    county_detail,
    county_list,
    programme_years,
    province_counties,
    province_detail,
    province_summary,
)
from regional.selectors.programme import (
    KimhwaFact,
    ProgrammeOverview,
    RoundProgress,
    kimhwa_facts,
    programme_overview,
)
from regional.selectors.schedule import ScheduleCell, ScheduleGrid, ScheduleWarning, schedule_grid, schedule_warnings

__all__ = [
    "CountyDetail",
    "KimhwaFact",
    "ProgrammeOverview",
    "ProgrammeStatus",
    "ProvinceSummary",
    "RoundProgress",
    "ScheduleCell",
    "ScheduleGrid",
    "ScheduleWarning",
    "county_detail",
    "county_list",
    "kimhwa_facts",
    "programme_overview",
    "programme_years",
    "province_counties",
    "province_detail",
    "province_summary",
    "schedule_grid",
    "schedule_warnings",
]
