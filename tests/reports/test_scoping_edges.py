"""Scoping at its edges: an administrator by role alone (not a superuser) and by the superuser flag alone (any
role) sees and may do everything an administrator does, and an official whose county or province is missing
sees no operational data at all (the database refuses such a user; scoping must not widen if one slips by)."""

import pytest
from django.db import IntegrityError, transaction

from factories.models import MonthlyReport
from regional import scoping
from regional.models import User
from tests.builders import FactoryBuilder, MonthlyReportBuilder, UserBuilder

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports_everywhere(alpha_factory, gamma_factory, open_month):
    """A draft of Alpha (North) and a submitted report of Gamma (South)."""
    return [
        MonthlyReportBuilder(factory=alpha_factory, month=open_month),
        MonthlyReportBuilder(factory=gamma_factory, month=open_month, submitted=True),
    ]


def _operational_scope(user) -> dict:
    return {
        "reports": sorted(scoping.visible_reports(user).values_list("factory__code", flat=True)),
        "importable": sorted(scoping.importable_factories(user).values_list("code", flat=True)),
        "counties": sorted(scoping.operational_counties(user).values_list("slug", flat=True)),
        "completeness": sorted(scoping.completeness_counties(user).values_list("slug", flat=True)),
    }


EVERYTHING = {
    "reports": ["alpha-foodstuff", "gamma-paper"],
    "importable": ["alpha-foodstuff", "gamma-paper"],
    "counties": ["kp-northland-alpha", "kp-southland-gamma"],
    "completeness": ["kp-northland-alpha", "kp-southland-gamma"],
}


def test_an_administrator_by_role_alone_sees_every_report_including_drafts(reports_everywhere):
    grace = UserBuilder(username="grace", role=User.Role.ADMINISTRATOR, is_staff=False, is_superuser=False)

    assert scoping.is_administrator(grace) is True
    assert _operational_scope(grace) == EVERYTHING


def test_a_superuser_of_another_role_is_an_administrator_not_an_analyst(reports_everywhere):
    heidi = UserBuilder(username="heidi", role=User.Role.ANALYST, is_staff=True, is_superuser=True)

    assert (scoping.is_administrator(heidi), scoping.is_analyst(heidi)) == (True, False)
    # An analyst would see approved reports only; the superuser sees the draft and the submitted report too.
    assert _operational_scope(heidi) == EVERYTHING


@pytest.mark.parametrize("role", [User.Role.COUNTY_OFFICIAL, User.Role.PROVINCIAL_OFFICIAL])
def test_the_database_refuses_an_official_without_a_county_or_province(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ivan", role=role)


@pytest.mark.parametrize("role", [User.Role.COUNTY_OFFICIAL, User.Role.PROVINCIAL_OFFICIAL])
def test_an_official_without_a_county_or_province_sees_no_operational_data(role, reports_everywhere):
    # Built in memory (as a stale session's user or an admin form in progress would be), never saved.
    ivan = User(username="ivan", role=role)
    FactoryBuilder(code="kp-orphan")  # a factory of some other county

    assert ivan.is_authenticated is True
    assert _operational_scope(ivan) == {"reports": [], "importable": [], "counties": [], "completeness": []}
    assert not scoping.enterable_factories(ivan).exists()
    assert not scoping.reviewable_reports(ivan).exists()
    assert MonthlyReport.objects.count() == 2
