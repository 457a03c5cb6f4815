"""What the actions need to know about the conversation, read from the tracker.

The gateway (api/) decides the language and passes it in the message
metadata. Under the classic deployment (`rasa run` + `rasa run actions`)
there is no gateway, so the language is kept in a slot and detected here.
"""
from __future__ import annotations

import os
from pathlib import Path

from rasa_sdk import Tracker

from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from locales.detect import choose_language

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def knowledge_db() -> Path:
    return Path(os.environ.get("KNOWLEDGE_DB", PROJECT_ROOT / "var" / "knowledge.db"))


def directory_db() -> Path:
    return Path(os.environ.get("DIRECTORY_DB", PROJECT_ROOT / "var" / "directory.db"))


def is_sms(tracker: Tracker) -> bool:
    return latest_metadata(tracker).get("channel") == "sms"


def latest_metadata(tracker: Tracker) -> dict:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


def language(tracker: Tracker) -> str:
    chosen = latest_metadata(tracker).get("language")
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    requested = next(tracker.get_latest_entity_values("language"), None)
    current = tracker.get_slot("language")
    current = current if current in SUPPORTED_LANGUAGES else None
    explicit = requested if requested in SUPPORTED_LANGUAGES else None
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/") and not explicit:  # a button payload says nothing of the language
        explicit = current or DEFAULT_LANGUAGE
    return choose_language(text, current, explicit).language


def entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)
