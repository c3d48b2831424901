"""A milestone's status follows from its dates and the site's inauguration; nothing is stored that could go stale."""

import datetime

from django.urls import reverse

from factories.models import ConstructionMilestone
from regional.models import ProgrammeSlot
from regional.sites.selectors import site_detail
from tests.conftest import client_for

Kind = ConstructionMilestone.Kind
Status = ConstructionMilestone.Status
TODAY = datetime.date(2026, 12, 3)


def _milestone(slot, kind, planned=None, actual=None):
    return ConstructionMilestone.objects.create(
        programme_slot=slot, kind=kind, planned_date=planned, actual_date=actual
    )


def _statuses(user, slug, today=TODAY):
    return {m.kind: (m.status, m.days_late) for m in site_detail(user=user, slug=slug, today=today).milestones}


def test_kujang_inaugurated_in_january_2025_has_its_inauguration_met_not_overdue(reference_data, erin):
    # Given Kujang, inaugurated on 24 January 2025, whose inauguration milestone was planned for 31 December 2024
    # with no actual date of its own, and whose design approval was never given a date
    kujang = ProgrammeSlot.objects.get(county__slug="kp-north-phyongan-kujang")
    _milestone(kujang, Kind.INAUGURATION, planned=datetime.date(2024, 12, 31))
    _milestone(kujang, Kind.DESIGN_APPROVED, planned=datetime.date(2024, 2, 10))
    _milestone(kujang, Kind.SITE_CONDITIONS, planned=datetime.date(2024, 4, 15), actual=datetime.date(2024, 4, 20))

    # When its site is read on 3 December 2026
    statuses = _statuses(erin, "kp-north-phyongan-kujang")

    # Then the inauguration is met (24 days after its plan), the undated precondition is "not recorded" and the
    # precondition met five days after its plan is "met late" — nothing is overdue
    assert statuses == {
        Kind.INAUGURATION: (Status.MET_LATE, 24),
        Kind.DESIGN_APPROVED: (Status.NOT_RECORDED, None),
        Kind.SITE_CONDITIONS: (Status.MET_LATE, 5),
    }


def test_kujangs_county_page_no_longer_says_overdue(reference_data, client, erin):
    # Given Kujang's demo-style milestones, planned before its inauguration and never given an actual date
    kujang = ProgrammeSlot.objects.get(county__slug="kp-north-phyongan-kujang")
    _milestone(kujang, Kind.INAUGURATION, planned=datetime.date(2025, 1, 30))
    _milestone(kujang, Kind.RAW_MATERIAL_BASE_READY, planned=datetime.date(2024, 11, 1))
    client_for(client, erin)

    # When an analyst opens the county page
    content = client.get(reverse("county_detail", args=["kp-north-phyongan-kujang"])).content.decode()

    # Then the inauguration of 24 January 2025 is shown as met, the base as not recorded, and nothing as overdue
    assert "24 January 2025" in content
    assert "2025-01-24" in content
    assert "overdue" not in content
    assert ">met<" in content
    assert ">not recorded<" in content


def test_a_site_not_yet_inaugurated_has_overdue_scheduled_and_undated_milestones(reference_data, erin):
    # Given Rakwon (2026, broken ground, not inaugurated) with a precondition past its plan, one still ahead,
    # one met on time and one without any date
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    _milestone(rakwon, Kind.MATERIALS_SUPPLIED, planned=datetime.date(2026, 11, 23))
    _milestone(rakwon, Kind.INAUGURATION, planned=datetime.date(2026, 12, 20))
    _milestone(rakwon, Kind.DESIGN_APPROVED, planned=datetime.date(2026, 1, 10), actual=datetime.date(2026, 1, 10))
    _milestone(rakwon, Kind.TRIPARTITE_AGREEMENT)

    # When it is read on 3 December 2026
    statuses = _statuses(erin, "kp-south-hamgyong-rakwon")

    # Then
    assert statuses == {
        Kind.MATERIALS_SUPPLIED: (Status.OVERDUE, 10),
        Kind.INAUGURATION: (Status.SCHEDULED, None),
        Kind.DESIGN_APPROVED: (Status.MET, None),
        Kind.TRIPARTITE_AGREEMENT: (Status.NOT_PLANNED, None),
    }


def test_a_site_inaugurated_later_turns_its_overdue_preconditions_into_not_recorded(reference_data, erin):
    # Given Rakwon's materials milestone is overdue
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    _milestone(rakwon, Kind.MATERIALS_SUPPLIED, planned=datetime.date(2026, 11, 23))
    _milestone(rakwon, Kind.INAUGURATION, planned=datetime.date(2026, 11, 30))
    assert _statuses(erin, "kp-south-hamgyong-rakwon")[Kind.MATERIALS_SUPPLIED][0] == Status.OVERDUE

    # When the site's inauguration on 1 December 2026 is recorded
    ProgrammeSlot.objects.filter(pk=rakwon.pk).update(
        inauguration_date=datetime.date(2026, 12, 1), inauguration_precision="day"
    )

    # Then the precondition reads "not recorded" and the inauguration is met, one day after its plan
    statuses = _statuses(erin, "kp-south-hamgyong-rakwon")
    assert statuses[Kind.MATERIALS_SUPPLIED] == (Status.NOT_RECORDED, None)
    assert statuses[Kind.INAUGURATION] == (Status.MET_LATE, 1)
