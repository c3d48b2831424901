"""The request budget counted in Redis, as production runs it (`CACHE_URL=redis://…`): one round trip per request,
the budget enforced with DRF's 429 and Retry-After, and the API still answering when Redis is gone."""

import logging

import pytest
import redis
from django.test import override_settings

from regional import cache as fail_soft_cache

pytestmark = pytest.mark.django_db

THREE_A_MINUTE = "3/minute"


@pytest.fixture
def redis_cache(redis_server, settings):
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "regional.cache.FailSoftRedisCache",
                "LOCATION": redis_server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": THREE_A_MINUTE}},
    ):
        yield redis.Redis.from_url(redis_server.url)


def _commands_served(server: redis.Redis) -> dict[str, int]:
    stats = server.info("commandstats")
    return {
        name.removeprefix("cmdstat_"): command["calls"]
        for name, command in stats.items()
        if name not in ("cmdstat_config|resetstat", "cmdstat_info")
    }


def test_a_token_over_its_budget_gets_429_with_retry_after_counted_in_one_redis_round_trip_per_request(
    redis_cache, alice, bob, as_user
):
    alices, bobs = as_user(alice), as_user(bob)
    assert bobs.get("/api/v1/provinces/").status_code == 200  # the first request of a process loads the script
    redis_cache.config_resetstat()

    statuses = [alices.get("/api/v1/provinces/").status_code for _ in range(3)]
    refused = alices.get("/api/v1/provinces/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")
    # Four requests, four round trips (EVALSHA; the others are the script's own): no GET/SET of a pickled history
    assert _commands_served(redis_cache) == {
        "evalsha": 4,
        "zremrangebyscore": 4,
        "zcard": 4,
        "zadd": 3,
        "expire": 3,
        "zrange": 1,
    }
    # Another user's budget is their own
    assert bobs.get("/api/v1/provinces/").status_code == 200


def test_the_window_slides_requests_older_than_the_period_no_longer_count(redis_cache, alice, as_user):
    alices = as_user(alice)
    assert [alices.get("/api/v1/provinces/").status_code for _ in range(4)] == [200, 200, 200, 429]

    # Age every counted request by a minute and a second, as if the client had waited
    (key,) = redis_cache.keys("*throttle_user_*")
    aged = {member: score - 61 for member, score in redis_cache.zrange(key, 0, -1, withscores=True)}
    redis_cache.zadd(key, aged)

    assert [alices.get("/api/v1/provinces/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_with_redis_down_the_api_answers_unthrottled_and_logs_it(redis_cache, redis_server, alice, as_user, caplog):
    alices = as_user(alice)
    assert [alices.get("/api/v1/provinces/").status_code for _ in range(4)] == [200, 200, 200, 429]
    fail_soft_cache.failure_log.logged_at = float("-inf")  # another test's warning must not silence this one

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="regional.cache"):
        statuses = [alices.get("/api/v1/provinces/").status_code for _ in range(6)]

    assert statuses == [200] * 6
    assert "throttling degraded" in caplog.text
