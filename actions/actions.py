"""The custom actions named in bot/domain.yml."""
from __future__ import annotations

import asyncio
import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context, help, replies, staffing, statement_request
from actions.categories import CATEGORIES
from directory import safety
from knowledge import search, store

logger = logging.getLogger(__name__)

# Thresholds on the dense similarity of the best topic (mean of its two best
# passages), read off tests/data/eval_questions.yaml against greetings and
# off-topic messages (README, "Retrieval"). A question the NLU classed as
# about rights is answered from SURE, gets "did you mean" from LOW; any other
# message is answered from the knowledge base only from UNPROMPTED.
LOW, SURE, UNPROMPTED = 0.84, 0.88, 0.90


class _Reply(Action, metaclass=ABCMeta):
    """Base: work out the language and where the user is, catch danger and
    answers to the bot's last question, build messages, send them with the meta."""

    @abstractmethod
    async def build(self, tracker: Tracker, lang: str, where: help.Where) -> tuple[list[dict], dict]:
        """The messages, and the meta the chat API reports."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        lang = context.language(tracker)
        where = await asyncio.to_thread(help.where, tracker)
        text = tracker.latest_message.get("text") or ""
        verdict = None
        if not text.startswith("/"):
            verdict = await asyncio.to_thread(safety.assess, context.directory_db(), text, lang)
        short = context.is_sms(tracker)
        if verdict is not None and verdict.emergency:
            messages, meta = await asyncio.to_thread(help.emergency, where, lang, short=short, reason=verdict.reason)
        elif verdict is not None and statement_request.is_request(text):
            messages, meta = statement_request.reply(lang, sms=short), {}
        elif where.answered and where.pending:
            # "Dubai" after "Where are you now?": whatever the NLU made of it.
            if where.pending == "emergency":
                messages, meta = await asyncio.to_thread(help.emergency, where, lang, short=short, reason="follow-up")
            else:
                messages, meta = await asyncio.to_thread(help.offer, where.pending, where, lang, short=short)
        else:
            messages, meta = await self.build(tracker, lang, where)
            if verdict is not None and verdict.sensitive:
                # Signs of trafficking or abuse: the bot answers, and a person reads along.
                meta["escalate"] = {"reason": "sensitive", "priority": "high", "detail": verdict.reason}
                at = len(messages) - 1 if messages and messages[-1]["buttons"] else len(messages)
                messages = [*messages[:at], replies.team_informed(lang), *messages[at:]]
        for m in messages:
            dispatcher.utter_message(text=m["text"], buttons=m["buttons"])
        ask = meta.pop("ask", {})
        report = {"language": lang, "country": where.country, "nationality": where.nationality, **meta}
        dispatcher.utter_message(json_message={"meta": report})
        events = [
            SlotSet("language", lang),
            SlotSet("country", where.country),
            SlotSet("region", where.region),
            SlotSet("nationality", where.nationality),
            SlotSet("awaiting", ask.get("awaiting")),
            SlotSet("pending_category", ask.get("pending_category")),
        ]
        if meta.get("topic"):
            events.append(SlotSet("topic", meta["topic"]))
        return events


def _titles(lang: str) -> dict[str, str]:
    return store.topic_titles(context.knowledge_db(), lang)


async def _answer(tracker: Tracker, lang: str, where: help.Where, *, asked_about_rights: bool):
    """Answer from the knowledge base, or (None, {}) when nothing matches well
    enough; what to say then differs by action."""
    db = context.knowledge_db()
    topic_id = context.entity(tracker, "topic")  # a suggestion button names it
    if not topic_id:
        question = tracker.latest_message.get("text") or ""
        hits = await asyncio.to_thread(search.search, db, question, lang)
        best = hits[0] if hits else None
        if best is None or best.similarity < (LOW if asked_about_rights else UNPROMPTED):
            return None, {}
        if best.similarity < SURE:  # only questions about rights get this far
            titles = _titles(lang)
            return replies.did_you_mean(lang, {h.topic_id: titles[h.topic_id] for h in hits if h.topic_id in titles}), {}
        topic_id = best.topic_id
    topic = await asyncio.to_thread(store.topic_text, db, topic_id, lang)
    if topic is None:
        return None, {}
    note = await asyncio.to_thread(store.country_note, db, topic.topic_id, lang, where.country)
    messages = replies.topic_answer(topic, lang, short=context.is_sms(tracker), note=note)
    nearby = await asyncio.to_thread(help.nearby, topic.services, where, lang)
    if nearby:
        messages.insert(1, nearby)
    return messages, {"topic": topic.topic_id, "service_categories": topic.services}


class AnswerRight(_Reply):
    def name(self) -> str:
        return "action_answer_right"

    async def build(self, tracker, lang, where):
        messages, meta = await _answer(tracker, lang, where, asked_about_rights=True)
        return messages or replies.not_understood(lang, _titles(lang)), meta or {"fallback": True}


class Fallback(_Reply):
    """NLU was unsure: a clear match in the knowledge base still gets answered."""

    def name(self) -> str:
        return "action_fallback"

    async def build(self, tracker, lang, where):
        messages, meta = await _answer(tracker, lang, where, asked_about_rights=False)
        return messages or replies.not_understood(lang, _titles(lang)), meta or {"fallback": True}


class OutOfScope(_Reply):
    def name(self) -> str:
        return "action_out_of_scope"

    async def build(self, tracker, lang, where):
        messages, meta = await _answer(tracker, lang, where, asked_about_rights=False)
        return messages or replies.out_of_scope(lang, _titles(lang)), meta


class Greet(_Reply):
    def name(self) -> str:
        return "action_greet"

    async def build(self, tracker, lang, where):
        return replies.greeting(lang, _titles(lang)), {}


class Goodbye(_Reply):
    def name(self) -> str:
        return "action_goodbye"

    async def build(self, tracker, lang, where):
        return replies.goodbye(lang), {}


class Thank(_Reply):
    def name(self) -> str:
        return "action_thank"

    async def build(self, tracker, lang, where):
        return replies.thanks(lang), {}


class OfferHelp(_Reply):
    def name(self) -> str:
        return "action_offer_help"

    async def build(self, tracker, lang, where):
        category = context.entity(tracker, "service_category")
        if category not in CATEGORIES:
            category = safety.category_named(tracker.latest_message.get("text") or "")
        if category in CATEGORIES:
            return await asyncio.to_thread(help.offer, category, where, lang, short=context.is_sms(tracker))
        return replies.help_menu(lang, list(CATEGORIES)), {"service_categories": list(CATEGORIES)}


class Emergency(_Reply):
    def name(self) -> str:
        return "action_emergency"

    async def build(self, tracker, lang, where):
        # The NLU said "emergency" but the phrase lists did not confirm it
        # (a look-alike such as "my phone died", or low confidence): give the
        # numbers and the offer of help, without raising the alarm. A question
        # the knowledge base answers well ("I am Filipino and I work in
        # Dubai, my employer has not paid me" was classed emergency 0.88) is
        # answered, with where to call if it is urgent after all.
        reminder = await asyncio.to_thread(help.danger_reminder, where, lang)  # before anything can fail
        try:
            messages, meta = await _answer(tracker, lang, where, asked_about_rights=False)
        except Exception:
            logger.exception("no knowledge-base answer for an unconfirmed emergency")
            messages, meta = [], {}
        if messages:
            at = len(messages) - 1 if messages[-1]["buttons"] else len(messages)
            return [*messages[:at], reminder, *messages[at:]], meta
        if where.country:
            # Nothing to answer either ("أنا في دبي", I am in Dubai, was
            # classed emergency and got "Call 999 now."): where to call if it
            # is urgent, and the kinds of help on offer.
            return [reminder, *replies.help_menu(lang, list(CATEGORIES))], {"service_categories": list(CATEGORIES)}
        return replies.emergency(lang), {"service_categories": ["emergency", "hotline", "shelter"]}


class AskHuman(_Reply):
    def name(self) -> str:
        return "action_ask_human"

    async def build(self, tracker, lang, where):
        return staffing.handover_notice(lang, reason="asked_for_person"), {
            "escalate": {"reason": "asked_for_person", "priority": "high", "detail": ""},
        }


class ChangeLanguage(_Reply):
    def name(self) -> str:
        return "action_change_language"

    async def build(self, tracker, lang, where):
        # The gateway tells whether this message switched the language; the
        # classic deployment has only the entity to go on.
        switched = context.latest_metadata(tracker).get("language_switched")
        if switched or (switched is None and context.entity(tracker, "language")):
            return replies.language_changed(lang), {}
        return replies.language_menu(lang), {}
