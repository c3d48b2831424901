"""Chromium with the network switched off. Playwright's `set_offline` does not reach a service worker's own
requests, so while offline every request a service worker makes is aborted too (that needs Playwright's
service-worker network events, switched on for the shared browser of tests/conftest.py)."""

import pytest


@pytest.fixture
def offline_browser(browser):
    """The shared Chromium of tests/conftest.py, whose Playwright driver starts with service-worker network
    events switched on."""
    return browser


def _abort_service_worker_requests(route):
    if route.request.service_worker is not None:
        route.abort("internetdisconnected")
    else:
        route.continue_()


class Connection:
    def __init__(self, context):
        self.context = context

    def off(self):
        self.context.set_offline(True)
        self.context.route("**/*", _abort_service_worker_requests)

    def on(self):
        self.context.unroute("**/*", _abort_service_worker_requests)
        self.context.set_offline(False)
