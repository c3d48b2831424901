"""`/api/v1/` lists the endpoints, and every page links to the API documentation."""

import pytest
from django.urls import reverse

from regional.api_root import ENDPOINTS
from tests.conftest import client_for


def test_the_api_root_lists_every_starting_endpoint_as_absolute_links_even_before_sign_in(anonymous):
    response = anonymous.get("/api/v1/")

    assert response.status_code == 200
    links = response.json()
    assert set(links) == set(ENDPOINTS)
    assert links["reports"] == "http://testserver/api/v1/reports/"
    assert links["auth_token"] == "http://testserver/api/v1/auth/token/"
    assert links["docs"] == "http://testserver/api/docs/"


def test_every_link_of_the_api_root_answers_a_signed_in_client(as_user, alice):
    client = as_user(alice)
    links = client.get("/api/v1/").json()

    statuses = {key: client.get(url).status_code for key, url in links.items() if key != "auth_token"}

    assert statuses == {key: 200 for key in ENDPOINTS if key != "auth_token"}
    assert client.get(links["auth_token"]).status_code == 405  # POST only: it takes a username and password


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_page_links_to_the_api_documentation(client, erin, language):
    client_for(client, erin)

    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'href="{reverse("api:docs")}" data-testid="api-docs-link"' in html
    assert ("API documentation" in html) is (language == "en")
