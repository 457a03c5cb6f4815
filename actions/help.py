"""Finding help for the user: what the bot knows of where they are and
where they are from, what it still has to ask, and the directory answers.

The bot asks only for what it lacks (the country, and for a consulate the
nationality), one question at a time, and remembers the answers in slots
for the rest of the conversation.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from rasa_sdk import Tracker

from actions import context, help_replies
from directory import places, search

MAX_AGE_DAYS = int(os.environ.get("DIRECTORY_MAX_AGE_DAYS", "365"))


@dataclass(frozen=True)
class Where:
    country: str | None
    region: str | None
    nationality: str | None
    awaiting: str | None  # what the bot asked for last turn
    pending: str | None  # the help category that question was for
    answered: bool  # this message answered it


def where(tracker: Tracker) -> Where:
    text = tracker.latest_message.get("text") or ""
    awaiting = tracker.get_slot("awaiting")
    found = places.find(text, expecting=awaiting) if not text.startswith("/") else places.Places()
    country, region = tracker.get_slot("country"), tracker.get_slot("region")
    if found.country:
        country, region = found.country, found.region
    elif not country:
        country = context.latest_metadata(tracker).get("country")
    nationality = found.nationality or tracker.get_slot("nationality")
    answered = bool((awaiting == "country" and found.country) or (awaiting == "nationality" and found.nationality))
    return Where(country, region, nationality, awaiting, tracker.get_slot("pending_category"), answered)


def _asking(what: str, category: str) -> dict:
    return {"ask": {"awaiting": what, "pending_category": category}}


def offer(category: str, w: Where, lang: str, *, short: bool) -> tuple[list[dict], dict]:
    """Contacts for `category`, or the one question that stands in the way."""
    db = context.directory_db()
    meta = {"service_categories": [category]}
    if category == "emergency":
        numbers = search.emergency_numbers(db, w.country)
        if numbers is None:
            return help_replies.ask_country(lang), {**meta, **_asking("country", category)}
        return [help_replies.message(help_replies.emergency_numbers_text(numbers, lang))], meta
    if category == "consulate" and not w.nationality:
        return help_replies.ask_nationality(lang), {**meta, **_asking("nationality", category)}
    if not w.country:
        return help_replies.ask_country(lang), {**meta, **_asking("country", category)}
    found = search.find(db, category, w.country, region=w.region, nationality=w.nationality, lang=lang)
    if not found:
        return help_replies.none_found(category, w.country, lang, search.emergency_numbers(db, w.country)), meta
    messages = help_replies.services(found, category, w.country, lang, max_age_days=MAX_AGE_DAYS, short=short)
    return messages, {**meta, "services": [s.id for s in found]}


def emergency(w: Where, lang: str, *, short: bool, reason: str) -> tuple[list[dict], dict]:
    """The first reply to danger: the country's emergency number (or the
    universal advice and the question), a hotline, and escalation."""
    db = context.directory_db()
    numbers = search.emergency_numbers(db, w.country)
    hotlines = search.find(db, "hotline", w.country, region=w.region, nationality=w.nationality, lang=lang, limit=1) if w.country else []
    meta = {
        "service_categories": ["emergency", "hotline", "shelter"],
        "services": [s.id for s in hotlines],
        "escalate": {"reason": "emergency", "priority": "urgent", "detail": reason},
    }
    if numbers is None:
        meta.update(_asking("country", "emergency"))
    messages = help_replies.emergency(numbers, hotlines, lang, max_age_days=MAX_AGE_DAYS, short=short)
    return messages, meta


def nearby(categories: list[str], w: Where, lang: str) -> dict | None:
    """The best help for a rights answer, in the user's country, if known."""
    if not w.country:
        return None
    db = context.directory_db()
    for category in categories:
        found = search.find(db, category, w.country, region=w.region, nationality=w.nationality, lang=lang, limit=3)
        # Only services for everyone, or for this user's nationality: the
        # answer is about a right, not about who the user is.
        found = [s for s in found if not s.serves.get("gender") and not s.serves.get("group")][:1]
        if found:
            return help_replies.nearby_help(found, w.country, lang, max_age_days=MAX_AGE_DAYS)
    return None


def danger_reminder(w: Where, lang: str) -> dict:
    """One line: where to call if it is urgent after all (the country's
    number when known)."""
    numbers = search.emergency_numbers(context.directory_db(), w.country) if w.country else None
    return help_replies.message(help_replies.danger_line(numbers, lang))
