"""Chromium with the network switched off. Playwright's `set_offline` does not reach a service worker's own
requests, so while offline every request a service worker makes is aborted too (that needs Playwright's
service-worker network events, switched on for these browsers only)."""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import CHROMIUM_ARGS


@pytest.fixture
def offline_browser():
    previous = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
        else:
            os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = previous


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
