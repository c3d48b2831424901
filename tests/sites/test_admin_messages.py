"""The site admin speaks in sentences and shows dates at the precision the source gives."""

from django.urls import reverse

from regional.models import ProgrammeSlot
from tests.conftest import client_for


def _form(slot, **changes):
    data = {
        "programme_round": slot.programme_round_id,
        "county": slot.county_id,
        "kind": slot.kind,
        "project": slot.project,
        "sources": slot.sources,
        "notes": slot.notes,
        "groundbreaking": "2024-03",
        "inauguration": "2025-01-08",
    }
    data.update(changes)
    return data


def test_admin_shows_a_month_precision_date_as_the_month(reference_data, client, frank):
    sukchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-sukchon")
    client_for(client, frank)

    changelist = client.get(reverse("admin:regional_programmeslot_changelist"), {"q": "Sukchon"}).content.decode()
    change = client.get(reverse("admin:regional_programmeslot_change", args=[sukchon.pk])).content.decode()

    assert "March 2024" in changelist
    assert "2024-03-01" not in changelist
    assert 'value="2024-03"' in change


def test_admin_refuses_an_inauguration_before_the_groundbreaking_with_a_sentence(reference_data, client, frank):
    sukchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-sukchon")
    client_for(client, frank)

    response = client.post(
        reverse("admin:regional_programmeslot_change", args=[sukchon.pk]), _form(sukchon, inauguration="2023-12")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "The inauguration cannot be before the groundbreaking." in content
    assert "Constraint" not in content and "slot_inauguration_after_groundbreaking" not in content
    sukchon.refresh_from_db()
    assert sukchon.inauguration_display == "8 January 2025"


def test_admin_saves_a_month_typed_as_a_month_with_month_precision(reference_data, client, frank):
    rangrim = ProgrammeSlot.objects.get(county__slug="kp-jagang-rangrim")
    client_for(client, frank)

    response = client.post(
        reverse("admin:regional_programmeslot_change", args=[rangrim.pk]),
        _form(rangrim, groundbreaking="2025-02", inauguration="2025-12-15"),
    )

    assert response.status_code == 302
    rangrim.refresh_from_db()
    assert (rangrim.groundbreaking_display, rangrim.groundbreaking_precision) == ("February 2025", "month")
    assert rangrim.history.latest().history_user == frank
