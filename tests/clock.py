"""A frozen clock that cannot leak into later tests. While frozen, `time.time` is freezegun's function, and a
module first imported then keeps it for good: DRF's throttle stores `timer = time.time` as a class attribute,
which then breaks every API request of the rest of the session. Everything the app loads is imported first."""

import datetime

import rest_framework.throttling  # noqa: F401 (imported before any freeze, see above)
from django.urls import get_resolver
from freezegun import freeze_time


def frozen_at(moment: datetime.datetime):
    """`freeze_time(moment)`, after the URLconf (and with it every view, API and task module) is loaded."""
    get_resolver().url_patterns  # noqa: B018 (loading the URLconf is the point)
    return freeze_time(moment)
