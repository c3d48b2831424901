"""Administrators complete a site's missing facts, each with its source; refusals are clear and change nothing."""

import pytest
from django.urls import reverse

from factories.models import Facility, SiteResponsibility
from regional.models import ProgrammeSlot
from tests.conftest import client_for

URL = "/sites/missing-facts/"


def _post(client, slot, form, **fields):
    data = {"form": form, "slot": slot.pk}
    data.update({f"{form}-{slot.pk}-{name}": value for name, value in fields.items()})
    return client.post(URL, data)


def test_missing_facts_lists_sites_without_a_groundbreaking_date(reference_data, client, frank):
    client_for(client, frank)

    response = client.get(URL)

    rows = {row.slot.county.slug: row for row in response.context["rows"]}
    assert rows["kp-jagang-rangrim"].missing_groundbreaking
    assert rows["kp-kaesong-panmun"].missing_facility
    assert not rows["kp-south-hamgyong-rakwon"].missing_facility
    # 2024 and 2025 sites all have their inauguration; a 2026 site is not "missing" it before the year is out
    assert not any(row.missing_inauguration for row in rows.values())


def test_an_administrator_sets_a_month_precision_date_with_its_source_and_the_county_page_shows_it(
    reference_data, client, frank
):
    # Given Rangrim, whose groundbreaking is not reported
    rangrim = ProgrammeSlot.objects.get(county__slug="kp-jagang-rangrim")
    client_for(client, frank)

    # When an administrator sets February 2025 with its source
    response = _post(
        client, rangrim, "groundbreaking", value="2025-02", precision="month", source="https://example.org/rangrim"
    )

    # Then it is saved at month precision, its source added, the change kept in the history, and shown at once
    assert response.status_code == 302
    rangrim.refresh_from_db()
    assert rangrim.groundbreaking_display == "February 2025"
    assert rangrim.sources.endswith(" | https://example.org/rangrim")
    latest = rangrim.history.latest()
    assert latest.history_user == frank
    assert latest.history_change_reason == "groundbreaking set to February 2025 from https://example.org/rangrim"
    page = client.get(reverse("county_detail", args=["kp-jagang-rangrim"])).content.decode()
    assert '<dd class="" data-testid="groundbreaking">February 2025</dd>' in page
    assert 'href="https://example.org/rangrim"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "2025-02-27", "precision": "month", "source": "https://e.org/a"}, "precision &#x27;day&#x27;"),
        ({"value": "2025-02", "precision": "day", "source": "https://e.org/a"}, "precision &#x27;month&#x27;"),
        ({"value": "27.02.2025", "precision": "day", "source": "https://e.org/a"}, "Enter a date as YYYY-MM-DD"),
        ({"value": "2025-02-30", "precision": "day", "source": "https://e.org/a"}, "Enter a date as YYYY-MM-DD"),
        ({"value": "2025-02-27", "precision": "day", "source": ""}, "This field is required."),
        ({"value": "2025-02-27", "precision": "day", "source": "not a url"}, "Enter a valid URL."),
        ({"value": "2099-01-01", "precision": "day", "source": "https://e.org/a"}, "This date is in the future"),
        (
            {"value": "2026-01-01", "precision": "day", "source": "https://e.org/a"},
            "cannot be before the groundbreaking",
        ),
    ],
)
def test_a_bad_date_is_refused_with_a_sentence_and_changes_nothing(reference_data, client, frank, fields, message):
    # Given Sepho (2025, inaugurated 20 December 2025, groundbreaking not reported), or for an inauguration
    # Rakwon (groundbreaking 5 February 2026, not inaugurated)
    form = "inauguration" if "before the groundbreaking" in message else "groundbreaking"
    slug = "kp-south-hamgyong-rakwon" if form == "inauguration" else "kp-kangwon-sepho"
    sepho = ProgrammeSlot.objects.get(county__slug=slug)
    before = list(ProgrammeSlot.objects.filter(pk=sepho.pk).values())
    client_for(client, frank)

    # When an administrator submits it
    response = _post(client, sepho, form, **fields)

    # Then the page answers 400 with the reason in the site's row, and nothing changed
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Constraint" not in response.content.decode()
    assert list(ProgrammeSlot.objects.filter(pk=sepho.pk).values()) == before


def test_an_administrator_adds_a_facility_and_a_responsible_official_with_sources(reference_data, client, frank):
    panmun = ProgrammeSlot.objects.get(county__slug="kp-kaesong-panmun")
    client_for(client, frank)

    _post(client, panmun, "facility", kind="hospital", name="Panmun hospital", source="https://example.org/h")
    _post(client, panmun, "responsibility", role="construction_unit", name="Unit 1", source="https://example.org/u")

    facility = Facility.objects.get(programme_slot=panmun)
    assert (facility.kind, facility.name, facility.source) == ("hospital", "Panmun hospital", "https://example.org/h")
    assert facility.history.latest().history_user == frank
    person = SiteResponsibility.objects.get(programme_slot=panmun)
    assert (person.role, person.name, person.is_demo) == ("construction_unit", "Unit 1", False)
    page = client.get(reverse("county_detail", args=["kp-kaesong-panmun"])).content.decode()
    assert "Panmun hospital" in page
    assert 'data-testid="responsibility-construction_unit">' in page and "Unit 1" in page

    # And the same facility twice is refused with a sentence
    response = _post(client, panmun, "facility", kind="hospital", name="Panmun hospital", source="https://e.org/x")
    assert response.status_code == 400
    assert "This site already has a facility of this kind and name." in response.content.decode()
    assert Facility.objects.filter(programme_slot=panmun).count() == 1


def test_only_administrators_complete_facts(reference_data, client, erin, carol):
    rangrim = ProgrammeSlot.objects.get(county__slug="kp-jagang-rangrim")
    for user in (erin, carol):
        client_for(client, user)
        assert client.get(URL).status_code == 403
        response = _post(client, rangrim, "groundbreaking", value="2025-02", precision="month", source="https://e.org")
        assert response.status_code == 403
    rangrim.refresh_from_db()
    assert rangrim.groundbreaking_date is None


def test_a_post_about_an_unknown_site_or_form_is_refused(reference_data, client, frank):
    client_for(client, frank)

    assert client.post(URL, {"form": "facility", "slot": "999999"}).status_code == 404
    assert client.post(URL, {"form": "facility", "slot": "abc"}).status_code == 404
    rangrim = ProgrammeSlot.objects.get(county__slug="kp-jagang-rangrim")
    assert client.post(URL, {"form": "delete_everything", "slot": rangrim.pk}).status_code == 404
