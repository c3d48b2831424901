"""What each kind of notification is for: who may receive it and what they get unless they choose otherwise."""

from dataclasses import dataclass

from regional.models import User
from regional.notifications.models import Channel, NotificationKind


@dataclass(frozen=True)
class KindRule:
    roles: frozenset[str]
    default_channel: str


_COUNTY = User.Role.COUNTY_OFFICIAL
_PROVINCE = User.Role.PROVINCIAL_OFFICIAL

KIND_RULES: dict[str, KindRule] = {
    NotificationKind.DEADLINE_APPROACHING: KindRule(frozenset({_COUNTY}), Channel.EMAIL),
    NotificationKind.MONTH_CLOSED_MISSING: KindRule(frozenset({_COUNTY, _PROVINCE}), Channel.EMAIL),
    NotificationKind.REPORT_RETURNED: KindRule(frozenset({_COUNTY}), Channel.EMAIL),
    NotificationKind.REPORT_APPROVED: KindRule(frozenset({_COUNTY}), Channel.IN_APP),
    NotificationKind.REVIEW_DIGEST: KindRule(frozenset({_PROVINCE}), Channel.EMAIL),
    NotificationKind.LATE_ENTRY_ALLOWED: KindRule(frozenset({_COUNTY}), Channel.EMAIL),
    # Analysts (and administrators) hear of new standings only when they ask for it.
    NotificationKind.STANDINGS_PUBLISHED: KindRule(
        frozenset({User.Role.ANALYST, User.Role.ADMINISTRATOR}), Channel.OFF
    ),
    NotificationKind.JOB_FAILED: KindRule(frozenset({User.Role.ADMINISTRATOR}), Channel.EMAIL),
}


def kinds_for(user) -> list[str]:
    """The kinds a user can receive, in the order of `NotificationKind`."""
    role = User.Role.ADMINISTRATOR if user.is_superuser else user.role
    return [kind for kind in NotificationKind.values if role in KIND_RULES[kind].roles]
