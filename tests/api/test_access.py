"""Who may read what through the API: the same scoping as the pages (404 outside scope, 403 for forbidden
actions, 401 without credentials)."""

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import standings_run
from tests.builders import RoundBuilder

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/api/v1/provinces/",
    "/api/v1/counties/",
    "/api/v1/rounds/",
    "/api/v1/slots/",
    "/api/v1/factories/",
    "/api/v1/milestones/",
    "/api/v1/raw-material-bases/",
    "/api/v1/raw-material-years/",
    "/api/v1/facilities/",
    "/api/v1/site-responsibilities/",
    "/api/v1/annual-plans/",
    "/api/v1/reports/",
    "/api/v1/standings/runs/",
    "/api/v1/auth/me/",
]


def report_ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_endpoint_refuses_a_caller_without_credentials_with_401(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_revoked_token_is_refused_with_401(alice, as_user, url):
    client = as_user(alice)
    Token.objects.filter(user=alice).delete()

    assert client.get(url).status_code == 401


@pytest.mark.parametrize("persona", ["alice", "carol", "dave", "erin", "frank"])
def test_every_persona_reads_the_reference_data(request, as_user, world, persona):
    client = as_user(request.getfixturevalue(persona))

    assert client.get("/api/v1/provinces/").json()["count"] == 2
    assert client.get("/api/v1/counties/").json()["count"] == 3
    assert client.get("/api/v1/factories/").json()["count"] == 3
    assert client.get("/api/v1/factories/gamma-foodstuff/").json()["county"] == "kp-southland-gamma"


def test_county_official_sees_only_their_countys_reports(alice, as_user, world):
    response = as_user(alice).get("/api/v1/reports/")

    assert response.status_code == 200
    assert report_ids(response) == {world["reports"][("Alpha", "approved")].pk, world["reports"][("Alpha", "draft")].pk}


def test_county_official_cannot_see_another_countys_report(bob, as_user, world):
    alphas_report = world["reports"][("Alpha", "draft")]

    assert as_user(bob).get(f"/api/v1/reports/{alphas_report.pk}/").status_code == 404


def test_provincial_official_sees_their_provinces_reports_and_not_anothers(carol, dave, as_user, world):
    reports = world["reports"]

    carols = report_ids(as_user(carol).get("/api/v1/reports/"))
    daves = report_ids(as_user(dave).get("/api/v1/reports/"))

    assert carols == {report.pk for (county, _), report in reports.items() if county in ("Alpha", "Beta")}
    assert daves == {reports[("Gamma", "approved")].pk, reports[("Gamma", "draft")].pk}
    assert as_user(dave).get(f"/api/v1/reports/{reports[('Alpha', 'draft')].pk}/").status_code == 404


def test_analyst_sees_approved_reports_everywhere_and_no_draft(erin, as_user, world):
    reports = world["reports"]
    client = as_user(erin)

    assert report_ids(client.get("/api/v1/reports/")) == {
        reports[(county, "approved")].pk for county in ("Alpha", "Beta", "Gamma")
    }
    assert client.get(f"/api/v1/reports/{reports[('Beta', 'draft')].pk}/").status_code == 404


def test_administrator_sees_every_report(frank, as_user, world):
    assert report_ids(as_user(frank).get("/api/v1/reports/")) == {report.pk for report in world["reports"].values()}


def test_annual_plans_are_scoped_like_reports(alice, carol, dave, erin, as_user, world):
    def plan_counties(user):
        return sorted(row["county"] for row in as_user(user).get("/api/v1/annual-plans/").json()["results"])

    assert plan_counties(alice) == ["kp-northland-alpha"]
    assert plan_counties(carol) == ["kp-northland-alpha", "kp-northland-beta"]
    assert plan_counties(dave) == ["kp-southland-gamma"]
    assert plan_counties(erin) == ["kp-northland-alpha", "kp-northland-beta", "kp-southland-gamma"]


def test_a_plan_outside_scope_answers_404(bob, as_user, world):
    alphas_plan = world["factories"]["Alpha"].annual_plans.get()

    assert as_user(bob).get(f"/api/v1/annual-plans/{alphas_plan.pk}/").status_code == 404


def test_standings_are_readable_by_every_signed_in_persona(alice, dave, erin, as_user, alpha_county, gamma_county):
    run = standings_run(year=2025, counties=[gamma_county, alpha_county])

    for user in (alice, dave, erin):
        rows = as_user(user).get(f"/api/v1/standings/runs/{run.pk}/standings/").json()["results"]
        assert [(row["county"], row["rank"], row["composite"]) for row in rows] == [
            ("kp-southland-gamma", 1, "90.00"),
            ("kp-northland-alpha", 2, "89.00"),
        ]


def test_an_unknown_run_or_county_answers_404(alice, as_user, world):
    client = as_user(alice)

    assert client.get("/api/v1/standings/runs/999999/standings/").status_code == 404
    assert client.get("/api/v1/counties/kp-nowhere/standings/").status_code == 404
    assert client.get("/api/v1/counties/kp-nowhere/").status_code == 404


def test_a_user_obtains_their_token_with_their_password_and_sees_it_in_me(alice, anonymous, password):
    response = anonymous.post("/api/v1/auth/token/", {"username": "alice", "password": password}, format="json")

    assert response.status_code == 200
    key = response.json()["token"]
    assert key == Token.objects.get(user=alice).key
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = anonymous.get("/api/v1/auth/me/").json()
    assert (me["username"], me["role"], me["county"], me["province"]) == ("alice", "county", "kp-northland-alpha", None)
    assert me["token"]["token"] == key


def test_a_wrong_password_gets_no_token(alice, anonymous):
    response = anonymous.post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to sign in with this username and password."]}
    assert not Token.objects.filter(user=alice).exists()


def test_the_browser_session_works_for_the_api_too(client, alice):
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/api/v1/auth/me/")

    assert response.status_code == 200
    assert response.json()["token"] is None


def test_administrators_issue_and_revoke_tokens_in_the_admin(client, frank, alice):
    client.force_login(frank, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/admin/authtoken/tokenproxy/").status_code == 200
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": alice.pk})
    assert response.status_code == 302
    assert Token.objects.filter(user=alice).exists()


def test_repeated_wrong_passwords_lock_the_token_endpoint_with_a_json_429(alice, anonymous, password):
    wrong = [
        anonymous.post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"}, format="json")
        for _ in range(5)
    ]

    locked = anonymous.post("/api/v1/auth/token/", {"username": "alice", "password": password}, format="json")

    assert [response.status_code for response in wrong] == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["detail"].startswith("Too many failed sign-ins for this username from your address.")
    assert int(locked["Retry-After"]) == 30 * 60
    assert not Token.objects.filter(user=alice).exists()


def test_reference_objects_are_found_by_their_stable_identifiers(alice, as_user, world):
    client = as_user(alice)
    RoundBuilder(year=2025)

    assert client.get("/api/v1/provinces/KP-62/").json()["name_en"] == "Southland"
    county = client.get("/api/v1/counties/kp-northland-beta/").json()
    assert (county["province"]["code"], county["factory_summary"]["total"]) == ("KP-61", 1)
    assert client.get("/api/v1/rounds/2025/").json()["year"] == 2025
    assert client.get("/api/v1/factories/beta-foodstuff/").json()["county"] == "kp-northland-beta"


def test_unknown_api_addresses_and_methods_answer_in_json(alice, as_user):
    client = as_user(alice)

    unknown = client.post("/api/v1/no-such-thing/", {}, format="json")
    trace = client.generic("TRACE", "/api/v1/reports/?format=csv")

    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found."})
    assert trace.status_code == 405
    assert trace["Content-Type"] == "application/json"


def test_a_run_id_beyond_any_key_answers_404_not_500(alice, as_user, erin, client):
    # A number no bigint holds must not reach the database as a query parameter (it fails there: a 500)
    huge = "9" * 20
    api = as_user(alice)
    assert api.get(f"/api/v1/standings/runs/{huge}/standings/").status_code == 404
    assert api.get(f"/api/v1/standings/runs/{huge}/").status_code == 404
    client.force_login(erin)
    assert client.get(f"/standings/runs/{huge}/counties/kp-northland-alpha/composite/").status_code == 404
