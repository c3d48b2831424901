from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from regional import scoping

# (url name, label, who sees it). Entries whose URL is not installed are skipped.
NAVIGATION = [
    # Officials' home is their tasks (the overview is a button away, at /programme/); everyone else's is the
    # programme overview.
    ("home", _("My tasks"), lambda user: scoping.is_county_official(user) or scoping.is_provincial_official(user)),
    (
        "home",
        _("Programme"),
        lambda user: not (scoping.is_county_official(user) or scoping.is_provincial_official(user)),
    ),
    ("schedule", _("Schedule"), lambda user: True),
    ("sites:board", _("Sites"), lambda user: True),
    ("sites:review_index", _("Plenary reports"), lambda user: not scoping.is_county_official(user)),
    ("county_list", _("Counties"), lambda user: True),
    ("reports:this_month", _("This month"), scoping.is_county_official),
    ("reports:review_queue", _("Review"), scoping.is_provincial_official),
    ("reports:report_list", _("Reports"), lambda user: True),
    ("reports:completeness", _("Completeness"), lambda user: not scoping.is_county_official(user)),
    ("standings:national", _("Standings"), lambda user: True),
    ("pivot", _("Explore"), lambda user: True),
    # Officials' menus are full already (a third row at 1366 px); they reach the map from the explorer.
    ("map", _("Map"), lambda user: not (scoping.is_county_official(user) or scoping.is_provincial_official(user))),
    ("sites:missing_facts", _("Missing facts"), scoping.is_administrator),
    ("admin:index", _("Admin"), scoping.is_administrator),
]


def navigation(request):
    """What every page's header needs: the menu for the user's role, and the languages."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for url_name, label, is_shown in NAVIGATION:
            if not is_shown(user):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            is_active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"url": url, "label": label, "active": is_active})
    # /explore/map/ is under /explore/: only the most specific matching entry is the current page.
    active = [item for item in items if item["active"]]
    for item in active[:-1] if len(active) > 1 else []:
        item["active"] = len(item["url"]) == max(len(other["url"]) for other in active)
    return {"nav_items": items, "languages": settings.LANGUAGES}
