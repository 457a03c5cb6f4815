"""When people answer, and what the user is told when the bot hands over.

OPERATOR_HOURS ("mon-fri 09:00-17:00", several spans joined by ";") in
OPERATOR_TIMEZONE (an IANA name) are the console's staffed hours;
OPERATOR_RESPONSE_MINUTES is the usual wait inside them.
"""
from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from actions.replies import message
from locales import gettext_for, translations

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _spans(spec: str) -> list[tuple[set[int], time, time]]:
    spans = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        days, hours = part.split()
        first, _, last = days.partition("-")
        a, b = DAYS.index(first), DAYS.index(last or first)
        day_set = {d % 7 for d in range(a, b + 1 if b >= a else b + 8)}
        opens, closes = (time.fromisoformat(h) for h in hours.split("-"))
        spans.append((day_set, opens, closes))
    return spans


def next_staffed(now: datetime, spec: str) -> datetime:
    """`now` if people are on duty, else when they next are."""
    spans = _spans(spec) or [(set(range(7)), time(0), time(23, 59))]
    for offset in range(8):
        day = (now + timedelta(days=offset)).date()
        for days, opens, closes in sorted(spans, key=lambda s: s[1]):
            if day.weekday() not in days:
                continue
            start = datetime.combine(day, opens, now.tzinfo)
            end = datetime.combine(day, closes, now.tzinfo)
            if offset == 0 and start <= now < end:
                return now
            if start > now:
                return start
    return now


def handover_notice(lang: str, *, reason: str, now: datetime | None = None) -> list[dict]:
    """A person will answer, roughly when, and what to do if it is urgent."""
    _ = gettext_for(lang)
    zone = ZoneInfo(os.environ.get("OPERATOR_TIMEZONE", "UTC"))
    now = (now or datetime.now(zone)).astimezone(zone)
    start = next_staffed(now, os.environ.get("OPERATOR_HOURS", "mon-fri 09:00-17:00"))
    minutes = int(os.environ.get("OPERATOR_RESPONSE_MINUTES", "60"))
    first = (
        _("I could not understand you well, so I have asked a person from our team to help.")
        if reason == "fallbacks"
        else _("I have asked a person from our team to answer you here.")
    )
    if start == now:
        # Plural rules differ (Arabic has six forms): ngettext picks the form.
        when = translations(lang).ngettext(
            "Someone usually answers within {minutes} minute.",
            "Someone usually answers within {minutes} minutes.", minutes).format(minutes=minutes)
    else:
        when = _("Our team is not working now. Someone will answer from {when}.").format(
            when=format_datetime(start, "EEEE HH:mm", tzinfo=zone, locale=lang))
    urgent = _("If it is urgent or you are in danger, call the local emergency number now.")
    return [message("\n".join([first, when, urgent]))]
