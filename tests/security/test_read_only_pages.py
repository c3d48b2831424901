"""Pages that only show something take GET (and HEAD) and nothing else: a POST, PUT or DELETE is refused with 405
rather than answered with the page as if it had been a GET."""

import datetime

import pytest
from django.urls import reverse

from tests.builders import FactoryBuilder, RoundBuilder, SlotBuilder

READ_ONLY_PAGES = ["programme", "sites:board", "sites:board_year", "sites:site_detail", "factory_detail", "pivot"]


@pytest.fixture
def site(alpha_county):
    SlotBuilder(programme_round=RoundBuilder(year=2024), county=alpha_county)
    return FactoryBuilder(county=alpha_county, code="alpha-foodstuff", commissioned_on=datetime.date(2020, 1, 1))


def _url(name: str, factory) -> str:
    kwargs = {
        "sites:board_year": {"year": 2024},
        "sites:site_detail": {"slug": factory.county.slug},
        "factory_detail": {"code": factory.code},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", READ_ONLY_PAGES)
@pytest.mark.parametrize("persona", ["alice", "frank"])
def test_a_read_only_page_answers_get_and_refuses_post_put_and_delete(client, site, name, persona, request):
    client.force_login(request.getfixturevalue(persona))
    url = _url(name, site)

    assert client.get(url).status_code == 200
    assert client.post(url, {"anything": "1"}).status_code == 405
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
