"""One chat turn: choose the language, ask Rasa, shape the answer."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field

from actions import replies
from actions.staffing import handover_notice
from api import conversations, erasure, escalations, handoff, retention
from api.assistant import Assistant
from api.conversations import Conversation
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, gettext_for
from locales.detect import choose_language

logger = logging.getLogger(__name__)
FALLBACKS_BEFORE_HANDOVER = 2
_LANGUAGE_PAYLOAD = re.compile(r"^/change_language(\{.*\})$", re.DOTALL)
# The suggestion buttons' payloads; any other "/..." text is read as words,
# so nobody can type "/restart" or an intent the buttons never send.
_BUTTON_PAYLOAD = re.compile(r"^/(ask_right|ask_help|change_language)(\{.*\})$", re.DOTALL)


@dataclass
class Turn:
    language: str
    messages: list[dict]
    topic: str | None = None
    service_categories: list[str] = field(default_factory=list)
    escalated: bool = False
    fallback: bool = False  # the bot did not understand this message
    escalate: dict | None = None  # {"reason", "priority", "detail"} when the bot hands over
    country: str | None = None


def _payload_language(text: str) -> str | None:
    """The language chosen with a menu button (`/change_language{"language": "es"}`)."""
    match = _LANGUAGE_PAYLOAD.match(text)
    if not match:
        return None
    try:
        chosen = json.loads(match.group(1)).get("language")
    except (ValueError, AttributeError):
        return None
    return chosen if chosen in SUPPORTED_LANGUAGES else None


def _as_user_text(text: str) -> str:
    match = _BUTTON_PAYLOAD.match(text)
    if match:
        try:
            entities = json.loads(match.group(2))
        except ValueError:
            entities = None
        if isinstance(entities, dict) and all(isinstance(v, str) for v in entities.values()):
            return text
    return text.lstrip("/").strip() or "?"


def _shape(outputs: list[dict], language: str) -> Turn:
    turn = Turn(language=language, messages=[])
    for out in outputs:
        meta = (out.get("custom") or {}).get("meta")
        if meta is not None:
            turn.topic = meta.get("topic") or turn.topic
            turn.service_categories = meta.get("service_categories") or turn.service_categories
            turn.escalate = meta.get("escalate") or turn.escalate
            turn.fallback = bool(meta.get("fallback")) or turn.fallback
            turn.country = meta.get("country") or turn.country
            continue
        if out.get("text"):
            buttons = [{"title": b["title"], "payload": b["payload"]} for b in out.get("buttons") or []]
            turn.messages.append({"text": out["text"], "buttons": buttons})
    return turn


async def converse(
    *,
    assistant: Assistant,
    app_db,
    conversation_id: str,
    channel: str,
    text: str,
    language: str | None,
    country: str | None,
    tracker_db=None,
) -> Turn:
    text = _as_user_text(text)
    before = conversations.get(app_db, conversation_id)
    current = before.language if before else None
    explicit = language or _payload_language(text)
    if text.startswith("/") and not explicit:
        # A button payload carries no evidence about the user's language.
        explicit = current or DEFAULT_LANGUAGE
    if tracker_db is not None and erasure.is_request(text):
        lang = erasure.language_of(text) or current or DEFAULT_LANGUAGE
        retention.erase(app_db, tracker_db, conversation_id, actor="user")
        return Turn(lang, erasure.confirmation(lang))
    choice = choose_language(text, current, explicit=explicit)
    country = country or (before.country if before else None)
    state = Conversation(conversation_id, channel, choice.language, country)
    escalation = handoff.current(app_db, conversation_id)
    if choice.menu and not (escalation and escalation.bot_silent):
        conversations.save(app_db, state)
        return Turn(language=choice.language, messages=replies.language_menu(choice.language))
    metadata = {
        "language": choice.language, "language_switched": choice.switched, "country": country, "channel": channel,
    }
    try:
        outputs = await assistant.handle(conversation_id, text, metadata)
    except Exception:
        if assistant.status != "ready":
            raise
        # Never a 500 for something a user wrote: log (no text) and apologise.
        logger.exception("turn failed for conversation %s", conversation_id)
        _ = gettext_for(choice.language)
        return Turn(choice.language, [replies.message(_("Sorry, something went wrong on my side. Please try again."))])
    if escalation and escalation.bot_silent:
        # With a person: Rasa stored the message (the tracker is paused) and
        # the console shows it; the bot says nothing.
        conversations.save(app_db, state)
        return Turn(choice.language, [], escalated=True)
    turn = _shape(outputs, choice.language)
    if turn.country and turn.country != country:  # the user named where they are
        state = Conversation(conversation_id, channel, choice.language, turn.country)
    conversations.save(app_db, state)
    if conversations.count_fallback(app_db, conversation_id, turn.fallback) >= FALLBACKS_BEFORE_HANDOVER and not turn.escalate:
        turn.escalate = {"reason": "fallbacks", "priority": "normal", "detail": ""}
        turn.messages += handover_notice(choice.language, reason="fallbacks")
    if turn.escalate:
        escalations.open_or_raise(
            app_db, conversation_id, turn.escalate["reason"], turn.escalate["priority"], turn.escalate.get("detail", "")
        )
        opened = handoff.current(app_db, conversation_id)
        if opened and opened.bot_silent:
            await assistant.pause(conversation_id)
    turn.escalated = escalations.is_open(app_db, conversation_id)
    if not turn.messages:
        _ = gettext_for(choice.language)
        turn.messages = [replies.message(_("Sorry, something went wrong on my side. Please try again."))]
    return turn
