"""The API's per-user request budget (`API_THROTTLE_RATE`, e.g. 600/minute), counted in one Redis round trip.

DRF's UserRateThrottle keeps each user's request history as a pickled list in the cache: a GET and a SET per
request, and the whole list unpickled and pickled again each time, which cost the API about a fifth of its
throughput under load (bench/README.md). This throttle keeps the same sliding window (at most N requests in any
period, each request's time a member of a Redis sorted set) and does the read, the pruning and the write in one
Lua script, so a request costs one round trip whatever the rate.

What a client sees is DRF's: 429 with `Retry-After` (DRF's `wait()`), per user, per address when anonymous.
With Redis down the request is served unthrottled and the failure logged (regional/cache.py's failure log); with
a cache that is not Redis (locmem under `make run` and the SQLite tests) DRF's own cache-based throttle runs.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import NoScriptError, RedisError
from rest_framework.throttling import UserRateThrottle

from regional.cache import failure_log

# KEYS[1]: the user's sorted set of request times. ARGV: now, period (seconds), limit, a unique member for now.
# Returns {allowed, requests in the window (this one included when allowed), time of the oldest of them}; the
# time travels as the sorted set's own text, since Redis truncates a Lua number to an integer on the way back.
SLIDING_WINDOW_SCRIPT = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('EXPIRE', key, period)
  return {1, count + 1, ''}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, count, oldest[2] or ''}
"""
SLIDING_WINDOW_SCRIPT_SHA = hashlib.sha1(SLIDING_WINDOW_SCRIPT.encode()).hexdigest()


def _redis_client(backend: RedisCache, key: str):
    """The cache's Redis client, made once per cache connection: Django builds a new `redis.Redis` (with its
    table of response callbacks) on every cache call, which cost a third of the throttle's time."""
    client = getattr(backend, "_throttle_client", None)
    if client is None:
        client = backend._throttle_client = backend._cache.get_client(key, write=True)
    return client


class ApiUserRateThrottle(UserRateThrottle):
    """Per-user (hence per-token: a token is one user's) request budget, read at request time.

    DRF binds `THROTTLE_RATES` when the class is defined; reading the setting per request lets an operator change
    `API_THROTTLE_RATE` per deployment and a test lower it with `override_settings`.
    """

    scope = "user"

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        backend = caches["default"]  # what DRF's `self.cache` stands for, unwrapped to tell Redis from the rest
        if not isinstance(backend, RedisCache):
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        key = backend.make_and_validate_key(self.key)
        member = f"{self.now!r}:{secrets.token_hex(4)}"
        arguments = (key, repr(self.now), self.duration, self.num_requests, member)
        try:
            client = _redis_client(backend, key)
            try:
                allowed, self.requests_in_window, oldest = client.evalsha(SLIDING_WINDOW_SCRIPT_SHA, 1, *arguments)
            except NoScriptError:
                # A Redis started (or flushed of scripts) since this process last ran it: EVAL loads it again.
                allowed, self.requests_in_window, oldest = client.eval(SLIDING_WINDOW_SCRIPT, 1, *arguments)
        except RedisError as error:
            failure_log.record("throttle", error)
            return True
        self.oldest_request_at = float(oldest) if oldest else None
        return bool(allowed)

    def wait(self):
        """DRF's recommendation (the `Retry-After` header), from the window the script saw."""
        if not hasattr(self, "requests_in_window"):
            return super().wait()
        if self.oldest_request_at is not None:
            remaining_duration = self.duration - (self.now - self.oldest_request_at)
        else:
            remaining_duration = self.duration
        available_requests = self.num_requests - self.requests_in_window + 1
        if available_requests <= 0:
            return None
        return remaining_duration / float(available_requests)
