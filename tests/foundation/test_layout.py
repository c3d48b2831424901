"""Every page reachable from the navigation, for every demo persona, fits a phone (390 px) and a laptop
(1366 px) without sideways scrolling of the page; a table may scroll only inside its own box, and only a table
declared wide (`data-scrolls-on-phone`, the schedule grid) may need to: any other that does hides a column
off-screen (the province standings' composite clipped to "71.", completeness's "Not reported")."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve

from factories.demo import DEMO_USERS, demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1366)
# Downloads, the admin site (Django's own), the API and actions that change state are not pages to lay out.
NOT_A_PAGE = re.compile(r"^/(admin|api)/|/logout/|/i18n/|/static/|export\.|/download/|\.csv|\.xlsx|/healthz")

# What the page scrolls sideways, and each box that scrolls while not declared wide, with what sticks out.
MEASURE = """(width) => {
  const described = (element) => {
    const classes = typeof element.className === 'string' ? element.className.trim() : '';
    return element.tagName.toLowerCase() + (classes ? '.' + classes.split(/\\s+/).join('.') : '');
  };
  const scrollers = [...document.querySelectorAll('main *')].filter((element) => {
    const overflow = getComputedStyle(element).overflowX;
    return (overflow === 'auto' || overflow === 'scroll') && element.scrollWidth > element.clientWidth + 1
      && !element.closest('[data-scrolls-on-phone]');
  }).map((element) => `${described(element)} scrolls ${element.scrollWidth} px in ${element.clientWidth} px`);
  const sticking_out = [...document.querySelectorAll('body *')].filter((element) => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) return false;
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) return false;
    }
    return true;
  }).slice(0, 3).map((element) => {
    return `${described(element)} ends at ${Math.round(element.getBoundingClientRect().right)} px`;
  });
  return {pageWidth: document.scrollingElement.scrollWidth, scrollers, stickingOut: sticking_out};
}"""


def shape(path: str) -> str:
    """One page per kind: /reports/123/ and /reports/456/ are the same view, so the same layout."""
    return resolve(path).view_name


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_password(username))
    page.click("form button[type=submit].btn")
    page.wait_for_url(lambda url: "/login/" not in url)


def pages_reachable_from_the_navigation(page, base_url: str) -> list[str]:
    """The navigation's pages, then one page of each kind linked from their content (a report, a county,
    a province's standings, an entry form...)."""
    navigation = page.eval_on_selector_all(
        "nav.mainnav a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    navigation = [href for href in navigation if href.startswith("/") and not NOT_A_PAGE.search(href)]
    found, shapes = list(navigation), {shape(urlsplit(href).path) for href in navigation}
    for href in navigation:
        page.goto(base_url + href)
        for link in page.eval_on_selector_all("main a[href]", "links => links.map(link => link.getAttribute('href'))"):
            if not link.startswith("/") or NOT_A_PAGE.search(link):
                continue
            kind = shape(urlsplit(link).path)
            if kind not in shapes:
                shapes.add(kind)
                found.append(link)
    return found


@pytest.fixture
def demo_site(reference_data):
    """What `make run` shows: the real reference data and the generated demo (reports, standings, logins)."""
    call_command("seed_demo", verbosity=0)


def test_every_page_of_every_demo_persona_fits_a_phone_and_a_laptop(demo_site, live_server, browser):
    problems, visited = [], 0
    for username, _role, _county, _province in DEMO_USERS:
        if username == "county.sukchon":  # the same pages as Songchon's official
            continue
        urls = None
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.set_default_timeout(20_000)
            log_in(page, live_server.url, username)
            if urls is None:
                urls = pages_reachable_from_the_navigation(page, live_server.url)
                assert len(urls) >= 8, f"{username} reached only {urls}"
            for url in urls:
                response = page.goto(live_server.url + url)
                visited += 1
                if response.status != 200:
                    problems.append(f"{username} {width} px {url}: answered {response.status}")
                    continue
                measured = page.evaluate(MEASURE, width)
                if measured["pageWidth"] > width:
                    problems.append(
                        f"{username} {width} px {url}: page is {measured['pageWidth']} px wide "
                        f"({'; '.join(measured['stickingOut'])})"
                    )
                problems += [f"{username} {width} px {url}: {scroller}" for scroller in measured["scrollers"]]
            context.close()

    assert problems == [], "\n".join(problems)
    assert visited >= 60  # four personas, two widths, every kind of page they reach
