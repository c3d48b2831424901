"""Fixtures of the security tests: a clean throttle/lock-out state and token clients for the personas."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def no_lockouts_or_throttles_from_other_tests(db):
    # Lock-outs live in the database (rolled back per test); throttle counts live in the cache.
    AccessAttempt.objects.all().delete()
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> tuple[APIClient, Token]:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client, token
