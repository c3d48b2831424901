"""The schedule's rule checks: reported as warnings, computed from the data, never refusing it."""

import datetime

import pytest
from django.db import connection, transaction

from regional.models import County, ProgrammeRound, ProgrammeSlot, Province
from regional.selectors import ScheduleWarning, schedule_warnings
from tests.builders import CountyBuilder, ProvinceBuilder, RoundBuilder, SlotBuilder

TODAY = datetime.date(2026, 11, 25)


def _summary(warnings):
    return sorted((w.rule, w.year, w.province_code, w.county_slug, w.count) for w in warnings)


def test_real_schedule_reports_exactly_its_known_exceptions(reference_data, erin):
    # Given the real schedule of 2024, 2025 and 2026 (so far), on 25 November 2026

    # When the rules are checked
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then 2024's 3 in North Phyongan and 1 in Ryanggang, 2025's Kaesong ward and 2026's Kaesong ward are the
    # departures; 2026 (17 of 20 known, plus Riwon's sea-farming station) is incomplete, not a departure
    assert _summary(warnings) == sorted(
        [
            (ScheduleWarning.PROVINCE_NOT_TWO, 2024, "KP-03", "", 3),
            (ScheduleWarning.PROVINCE_NOT_TWO, 2024, "KP-10", "", 1),
            (ScheduleWarning.PROVINCE_NOT_TWO, 2025, "KP-10", "", 1),
            (ScheduleWarning.ROUND_INCOMPLETE, 2026, "", "", 17),
            (ScheduleWarning.NOT_CITY_OR_COUNTY, 2025, "KP-15", "kp-kaesong-kaephung", None),
            (ScheduleWarning.NOT_CITY_OR_COUNTY, 2026, "KP-15", "kp-kaesong-panmun", None),
        ]
    )
    messages = {w.message for w in warnings}
    assert "North Phyongan has 3 localities in 2024, not 2." in messages
    assert "Ryanggang has 1 locality in 2024, not 2." in messages
    assert "2026 is not yet fully known: 17 of 20 localities recorded so far. Plus 1 separate project." in messages
    assert "Kaephung (Kaesong, 2025) is a ward, not a city or county." in messages
    assert [w.year for w in warnings if not w.is_departure] == [2026]


def test_the_separate_projects_and_the_kimhwa_model_do_not_count_towards_the_20(reference_data, erin):
    # Given 2025 has 20 localities plus the Unsan paper mill, and 2026 17 localities plus Riwon's sea-farming station
    assert ProgrammeSlot.objects.filter(programme_round__year=2025).count() == 21
    assert ProgrammeSlot.objects.filter(programme_round__year=2026).count() == 18

    # When the rules are checked
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then 2025 meets its 20, 2026 counts 17, and no warning concerns the model year
    assert not [w for w in warnings if w.year == 2025 and w.rule in (ScheduleWarning.YEAR_NOT_TARGET,)]
    assert {w.year: w.count for w in warnings if w.rule == ScheduleWarning.ROUND_INCOMPLETE} == {2026: 17}
    assert all(w.year != 2022 for w in warnings)


def test_a_past_round_below_its_target_is_incomplete_and_its_short_provinces_are_not_blamed(db, erin):
    # Given 2025 is over with 3 localities known in Eastland and none in Westland, target 4
    eastland = ProvinceBuilder(code="KP-71", name_en="Eastland", kind=Province.Kind.PROVINCE)
    ProvinceBuilder(code="KP-72", name_en="Westland", kind=Province.Kind.PROVINCE)
    _schedule(2025, eastland, 3)

    # When the rules are checked
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then the round is reported as not yet fully known, and only Eastland's excess is a departure
    assert _summary(warnings) == [
        (ScheduleWarning.PROVINCE_NOT_TWO, 2025, "KP-71", "", 3),
        (ScheduleWarning.ROUND_INCOMPLETE, 2025, "", "", 3),
    ]
    assert [w.is_departure for w in warnings] == [False, True]


@pytest.fixture
def two_provinces(db):
    return [
        ProvinceBuilder(code="KP-71", name_en="Eastland", kind=Province.Kind.PROVINCE),
        ProvinceBuilder(code="KP-72", name_en="Westland", kind=Province.Kind.PROVINCE),
    ]


def _schedule(year, province, count, *, kind=County.Kind.COUNTY, slot_kind=ProgrammeSlot.Kind.LOCALITY):
    programme_round = RoundBuilder(year=year, target_localities=4)
    return [
        SlotBuilder(
            programme_round=programme_round,
            county=CountyBuilder(province=province, kind=kind),
            kind=slot_kind,
        )
        for _ in range(count)
    ]


def test_a_complete_year_with_two_per_province_raises_no_warning(two_provinces, erin):
    # Given 2024 (past) with 2 localities in each of two provinces, target 4
    for province in two_provinces:
        _schedule(2024, province, 2)

    # Then there is nothing to report
    assert schedule_warnings(user=erin, today=TODAY) == []


def test_a_past_year_reports_a_province_with_too_few_or_too_many(two_provinces, erin):
    # Given 2025 is over, with 3 localities in Eastland and 1 in Westland
    eastland, westland = two_provinces
    _schedule(2025, eastland, 3)
    _schedule(2025, westland, 1)

    # When the rules are checked
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then both provinces are reported; the year itself has its 4
    assert _summary(warnings) == [
        (ScheduleWarning.PROVINCE_NOT_TWO, 2025, "KP-71", "", 3),
        (ScheduleWarning.PROVINCE_NOT_TWO, 2025, "KP-72", "", 1),
    ]


def test_a_round_still_being_announced_only_reports_provinces_already_over_two(two_provinces, erin):
    # Given the current year's round has 3 localities in Eastland and 0 in Westland so far
    eastland, _westland = two_provinces
    _schedule(2026, eastland, 3)

    # When the rules are checked during 2026
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then Eastland's excess and the round's incompleteness are reported, Westland's 0 is not (yet)
    assert _summary(warnings) == [
        (ScheduleWarning.PROVINCE_NOT_TWO, 2026, "KP-71", "", 3),
        (ScheduleWarning.ROUND_INCOMPLETE, 2026, "", "", 3),
    ]
    assert [w.message for w in warnings] == [
        "2026 is not yet fully known: 3 of 4 localities recorded so far.",
        "Eastland has 3 localities in 2026, not 2.",
    ]


def test_future_rounds_without_localities_are_not_yet_announced_not_exceptions(two_provinces, erin):
    # Given the 2030 round exists but nothing is scheduled in it
    RoundBuilder(year=2030)

    # Then it is not reported
    assert schedule_warnings(user=erin, today=TODAY) == []


def test_separate_projects_count_neither_for_the_province_nor_for_the_year(two_provinces, erin):
    # Given a past year with 2 localities per province and a separate paper mill in Eastland
    eastland, westland = two_provinces
    _schedule(2024, eastland, 2)
    _schedule(2024, westland, 2)
    _schedule(2024, eastland, 1, slot_kind=ProgrammeSlot.Kind.SEPARATE_PROJECT)

    # Then the schedule still follows the rules
    assert schedule_warnings(user=erin, today=TODAY) == []


def test_a_ward_in_the_schedule_is_reported_as_not_a_city_or_county(two_provinces, erin):
    # Given a past year whose Westland localities include a ward
    eastland, westland = two_provinces
    _schedule(2024, eastland, 2)
    _schedule(2024, westland, 1)
    ward_slot = _schedule(2024, westland, 1, kind=County.Kind.WARD)[0]

    # When the rules are checked
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then only the ward is reported (it still counts as one of the province's localities)
    assert _summary(warnings) == [
        (ScheduleWarning.NOT_CITY_OR_COUNTY, 2024, "KP-72", ward_slot.county.slug, None),
    ]
    assert warnings[0].message == f"{ward_slot.county.name_en} (Westland, 2024) is a ward, not a city or county."


@pytest.mark.django_db(transaction=False)
def test_a_county_scheduled_twice_is_reported_even_though_the_database_forbids_it(two_provinces, erin):
    # Given data that slipped past the constraint (simulated by lifting it inside this test's transaction;
    # PostgreSQL DDL is transactional, so it is restored when the test's transaction rolls back)
    constraint = next(c for c in ProgrammeSlot._meta.constraints if c.name == "slot_county_built_once")
    with connection.schema_editor() as editor:
        editor.remove_constraint(ProgrammeSlot, constraint)
    eastland, westland = two_provinces
    _schedule(2024, eastland, 2)
    slots = _schedule(2024, westland, 2)
    twice = slots[0].county
    with transaction.atomic():
        SlotBuilder(programme_round=ProgrammeRound.objects.get(year=2024), county=twice)

    # When the rules are checked
    warnings = schedule_warnings(user=erin, today=TODAY)

    # Then the county is reported as scheduled twice (and so Westland has 3 and the year 5 of 4)
    assert _summary(warnings) == [
        (ScheduleWarning.COUNTY_SCHEDULED_TWICE, None, "", twice.slug, 2),
        (ScheduleWarning.PROVINCE_NOT_TWO, 2024, "KP-72", "", 3),
        (ScheduleWarning.YEAR_NOT_TARGET, 2024, "", "", 5),
    ]
    assert warnings[-1].message == f"{twice.name_en} is scheduled 2 times; a county is built once."
