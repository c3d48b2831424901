"""A Redis cache that degrades instead of failing the request when Redis is down.

The cache holds nothing that must survive (the API throttle's request times): with Redis gone, reads miss,
writes are dropped, and the failure is logged. Django's own RedisCache raises redis' ConnectionError into
the view, and DRF's throttle reads the cache on every API request, so a Redis outage answered every API
request with a 500. Django's RedisCache has no IGNORE_EXCEPTIONS option (django-redis has); this is it.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# One warning per process per interval while Redis stays down, with the number of failures it stands for.
LOG_INTERVAL_SECONDS = 60.0


class _FailureLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.logged_at = float("-inf")
        self.unlogged_failures = 0

    def record(self, operation: str, error: Exception) -> None:
        with self.lock:
            self.unlogged_failures += 1
            now = time.monotonic()
            if now - self.logged_at < LOG_INTERVAL_SECONDS:
                return
            failures, self.unlogged_failures, self.logged_at = self.unlogged_failures, 0, now
        logger.warning(
            "Cache unavailable (%s: %s); serving without it (throttling degraded). %d failure(s) since the last "
            "warning.",
            operation,
            error,
            failures,
        )


failure_log = _FailureLog()


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache where a Redis error is a miss (reads), a no-op (writes) and a logged warning."""

    def _fail_soft(self, operation: str, default, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            failure_log.record(operation, error)
            return default

    def get(self, key, default=None, version=None):
        return self._fail_soft("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._fail_soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._fail_soft("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_soft("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._fail_soft("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._fail_soft("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read cannot be incremented: ValueError is what a missing key gives.
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            failure_log.record("incr", error)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def clear(self):
        return self._fail_soft("clear", False, super().clear)
