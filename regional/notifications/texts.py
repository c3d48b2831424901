"""A notification's words, rendered when read (or mailed) in the reader's language from its stored params.

Params keep both scripts of a place name (`county_en`, `county_ko`), so no query is needed to render a list.
"""

import datetime

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regional.notifications.models import NotificationKind


def _place(params: dict, key: str) -> str:
    korean = params.get(f"{key}_ko")
    if translation.get_language() == "ko" and korean:
        return korean
    return params.get(f"{key}_en", "")


def _month(params: dict) -> str:
    return date_format(datetime.date.fromisoformat(params["month"]), "YEAR_MONTH_FORMAT")


def _day(params: dict, key: str) -> str:
    return date_format(datetime.date.fromisoformat(params[key]), "DATE_FORMAT")


def notification_title(kind: str, params: dict) -> str:
    """One line saying what happened, in the active language."""
    if kind == NotificationKind.DEADLINE_APPROACHING:
        return ngettext(
            "%(county)s: %(count)s report of %(month)s is not submitted; entry closes on %(deadline)s.",
            "%(county)s: %(count)s reports of %(month)s are not submitted; entry closes on %(deadline)s.",
            params["count"],
        ) % {
            "county": _place(params, "county"),
            "count": params["count"],
            "month": _month(params),
            "deadline": _day(params, "deadline"),
        }
    if kind == NotificationKind.MONTH_CLOSED_MISSING:
        return ngettext(
            "%(place)s: %(month)s closed with %(count)s report missing.",
            "%(place)s: %(month)s closed with %(count)s reports missing.",
            params["count"],
        ) % {"place": _place(params, "place"), "month": _month(params), "count": params["count"]}
    if kind == NotificationKind.REPORT_RETURNED:
        return _("%(factory)s, %(month)s was returned: %(reason)s") % {
            "factory": params["factory"],
            "month": _month(params),
            "reason": params["reason"],
        }
    if kind == NotificationKind.REPORT_APPROVED:
        return _("%(factory)s, %(month)s was approved.") % {"factory": params["factory"], "month": _month(params)}
    if kind == NotificationKind.REVIEW_DIGEST:
        return ngettext(
            "%(province)s: %(count)s report waits for review (the oldest since %(oldest)s).",
            "%(province)s: %(count)s reports wait for review (the oldest since %(oldest)s).",
            params["count"],
        ) % {"province": _place(params, "province"), "count": params["count"], "oldest": _day(params, "oldest")}
    if kind == NotificationKind.LATE_ENTRY_ALLOWED:
        return _("A late entry of %(factory)s, %(month)s is allowed: %(reason)s") % {
            "factory": params["factory"],
            "month": _month(params),
            "reason": params["reason"],
        }
    if kind == NotificationKind.STANDINGS_PUBLISHED:
        return _("Standings %(year)s: run %(run)s published (%(ranked)s counties ranked).") % {
            "year": params["year"],
            "run": params["run"],
            "ranked": params["ranked"],
        }
    if kind == NotificationKind.JOB_FAILED:
        return _("The job %(job)s failed: %(error)s") % {"job": params["job"], "error": params["error"]}
    return kind
