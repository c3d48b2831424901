"""The production cache on Redis (`CACHE_URL=redis://…`, as docker-compose sets it) goes down: the API keeps
answering, throttling is degraded for the outage and logged, and throttling works again once Redis is back.

Before the fix every API request answered 500 during the outage: DRF's throttle reads the cache each time.
"""

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from tests.reliability.processes import WebServer, free_port

THROTTLE_LIMIT = 5

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(redis_server, tmp_path):
    server = WebServer(
        port=free_port(),
        redis_url=redis_server.url,
        log_path=tmp_path / "web.log",
        environment={
            "CACHE_URL": f"redis://127.0.0.1:{redis_server.port}/1",
            "API_THROTTLE_RATE": f"{THROTTLE_LIMIT}/minute",
        },
    )
    server.start()
    yield server
    server.stop()


def _get(web, token: Token, path: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{web.url}{path}", headers={"Authorization": f"Token {token.key}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode(errors="replace")[:300]}


def _statuses(web, token: Token, count: int) -> list[int]:
    return [_get(web, token, "/api/v1/provinces/")[0] for _ in range(count)]


def test_the_api_keeps_answering_with_throttling_degraded_while_the_cache_redis_is_down(
    alice, north_province, redis_server, web
):
    token, _created = Token.objects.get_or_create(user=alice)

    # Given the throttle counting in Redis: the sixth request within a minute is refused
    assert _statuses(web, token, THROTTLE_LIMIT + 1) == [200] * THROTTLE_LIMIT + [429]

    # When Redis dies
    redis_server.stop()

    # Then the API keeps answering with the data, unthrottled, and says so in the log
    statuses = _statuses(web, token, 2 * THROTTLE_LIMIT)
    assert statuses == [200] * (2 * THROTTLE_LIMIT), [*statuses, web.log()]
    status, provinces = _get(web, token, "/api/v1/provinces/")
    assert (status, [province["name_en"] for province in provinces["results"]]) == (200, [north_province.name_en])
    assert "Cache unavailable" in web.log()
    assert "throttling degraded" in web.log()

    # And when Redis is back (empty), throttling counts again from zero
    redis_server.start()
    assert _statuses(web, token, THROTTLE_LIMIT + 1) == [200] * THROTTLE_LIMIT + [429]
