"""Writes that complete a site's facts: its dates, its facilities and who answers for it, each with its source.

Every write goes through the model's history (who, when, why), so a completed fact can be traced to the
administrator who entered it and the source they gave.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factories.models import Facility, SiteResponsibility
from regional.models import DatePrecision, ProgrammeSlot, User, format_partial_date

SITE_DATE_FACTS = ("groundbreaking", "inauguration")


def _validated_source(source: str) -> str:
    source = source.strip()
    if not source:
        raise ValidationError({"source": _("Give the source that reports this fact.")})
    URLValidator(schemes=["http", "https"])(source)
    return source


def _with_source(sources: str, source: str) -> str:
    parts = [part.strip() for part in sources.split(" | ") if part.strip()]
    if source not in parts:
        parts.append(source)
    return " | ".join(parts)


@transaction.atomic
def slot_date_set(
    *,
    slot: ProgrammeSlot,
    fact: str,
    value: datetime.date,
    precision: str,
    source: str,
    set_by: User,
    today: datetime.date | None = None,
) -> ProgrammeSlot:
    """Set a site's groundbreaking or inauguration date at its precision, adding its source to the site's sources;
    refuses a future date, a day-less date given as exact, and an inauguration before the groundbreaking."""
    today = today or timezone.localdate()
    if fact not in SITE_DATE_FACTS:
        raise ValidationError(_("Unknown fact."))
    if precision not in DatePrecision.values:
        raise ValidationError({"precision": _("Choose the precision: day or month.")})
    source = _validated_source(source)
    if precision == DatePrecision.MONTH:
        value = value.replace(day=1)
    if value > today:
        raise ValidationError(
            {"value": _("This date is in the future: a groundbreaking or inauguration is recorded once it took place.")}
        )
    slot = ProgrammeSlot.objects.select_for_update().get(pk=slot.pk)
    setattr(slot, f"{fact}_date", value)
    setattr(slot, f"{fact}_precision", precision)
    slot.sources = _with_source(slot.sources, source)
    slot.full_clean()
    slot._history_user = set_by
    slot._change_reason = f"{fact} set to {format_partial_date(value, precision)} from {source}"
    slot.save()
    return slot


@transaction.atomic
def facility_add(*, slot: ProgrammeSlot, kind: str, name: str, source: str, added_by: User) -> Facility:
    """Record a facility of a site with the source that names it; refuses a duplicate or a missing source."""
    facility = Facility(programme_slot=slot, kind=kind, name=name.strip(), source=_validated_source(source))
    if Facility.objects.filter(programme_slot=slot, kind=kind, name=facility.name).exists():
        raise ValidationError(_("This site already has a facility of this kind and name."))
    facility.full_clean()
    facility._history_user = added_by
    facility._change_reason = f"added from {facility.source}"
    facility.save()
    return facility


@transaction.atomic
def responsibility_set(*, slot: ProgrammeSlot, role: str, name: str, source: str, set_by: User) -> SiteResponsibility:
    """Record who answers for a site in `role`, with the source naming them (replacing an earlier entry)."""
    source = _validated_source(source)
    name = name.strip()
    responsibility = SiteResponsibility.objects.filter(programme_slot=slot, role=role).first()
    if responsibility is None:
        responsibility = SiteResponsibility(programme_slot=slot, role=role)
    responsibility.name = name
    responsibility.source = source
    responsibility.is_demo = False
    responsibility.full_clean()
    responsibility._history_user = set_by
    responsibility._change_reason = f"set from {source}"
    responsibility.save()
    return responsibility
