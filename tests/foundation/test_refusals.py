"""A refusal is a page of the site: the layout, a plain explanation and a way back; and the menu offers each
role only what it may open."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_refused_page_has_the_layout_the_reason_and_a_way_home(client, alice):
    client_for(client, alice)

    response = client.get(reverse("reports:review_queue"))

    assert response.status_code == 403
    assert 'class="topbar"' in response.text and 'class="mainnav"' in response.text
    assert "Only provincial officials review reports." in response.text
    assert f'href="{reverse("home")}"' in response.text and "Back to your home page" in response.text


def test_a_missing_or_hidden_page_has_the_layout_and_does_not_say_which(client, alice, beta_county):
    client_for(client, alice)

    response = client.get("/reports/999999/")

    assert response.status_code == 404
    assert 'class="mainnav"' in response.text
    assert "outside what your role can see" in response.text
    assert "MonthlyReport" not in response.text


def test_opening_a_button_address_explains_it_instead_of_an_empty_page(client, carol):
    client_for(client, carol)

    response = client.get(reverse("reports:review_bulk_approve"))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "for a button, not a page" in response.text
    assert 'class="mainnav"' in response.text


def test_the_api_keeps_its_own_json_405(client, carol):
    client_for(client, carol)

    response = client.delete("/api/v1/provinces/")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


def test_a_server_error_page_needs_neither_request_context_nor_database():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b'href="/"' in response.content


def test_an_anonymous_visitor_refused_is_offered_to_log_in(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert "Log in" in response.text


@pytest.mark.parametrize("persona", ["alice", "carol", "erin", "frank"])
def test_every_menu_link_opens_for_the_role_it_is_offered_to(client, request, persona):
    user = request.getfixturevalue(persona)
    client_for(client, user)

    menu = client.get(reverse("home")).context["nav_items"]

    assert menu, "every role has a menu"
    for item in menu:
        assert client.get(item["url"]).status_code == 200, item


@pytest.mark.parametrize("persona", ["alice", "erin", "frank"])
def test_the_review_queue_is_offered_only_to_the_roles_it_accepts(client, request, persona):
    user = request.getfixturevalue(persona)
    client_for(client, user)

    menu_urls = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]

    assert reverse("reports:review_queue") not in menu_urls
    assert client.get(reverse("reports:review_queue")).status_code == 403


def test_an_administrator_refused_is_not_told_to_ask_an_administrator(client, frank, alice):
    client_for(client, frank)
    to_frank = client.get(reverse("reports:review_queue")).text
    client_for(client, alice)
    to_alice = client.get(reverse("reports:review_queue")).text

    assert "ask a programme administrator" not in to_frank
    assert "ask a programme administrator" in to_alice
