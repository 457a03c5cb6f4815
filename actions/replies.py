"""The bot's messages, built in the user's language.

Every string comes from the catalogs (`_`) or from the knowledge base.
A message is a dict `{"text": str, "buttons": [{"title", "payload"}]}`;
`meta` carries what the chat API reports (topic, help categories offered).
"""
from __future__ import annotations

import json

from babel import Locale

from actions.categories import category_name
from knowledge.store import CountryNote, TopicText
from locales import SUPPORTED_LANGUAGES, gettext_for, language_name, text_direction

MAX_TOPIC_BUTTONS = 4


def message(text: str, buttons: list[dict] | None = None) -> dict:
    return {"text": text, "buttons": buttons or []}


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def help_buttons(categories: list[str], lang: str) -> list[dict]:
    return [
        {"title": category_name(c, lang), "payload": _payload("ask_help", service_category=c)}
        for c in categories
    ]


def topic_buttons(titles: dict[str, str]) -> list[dict]:
    return [
        {"title": title, "payload": _payload("ask_right", topic=topic_id)}
        for topic_id, title in list(titles.items())[:MAX_TOPIC_BUTTONS]
    ]


def language_buttons() -> list[dict]:
    return [
        {"title": language_name(code), "payload": _payload("change_language", language=code)}
        for code in SUPPORTED_LANGUAGES
    ]


def greeting(lang: str, titles: dict[str, str]) -> list[dict]:
    _ = gettext_for(lang)
    return [
        message(
            _(
                "Hello! I can tell you about your rights and duties as a migrant, "
                "and help you find support. What would you like to know?"
            ),
            topic_buttons(titles),
        )
    ]


def goodbye(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("Take care. You can write to me again at any time."))]


def thanks(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("You are welcome. Is there anything else you want to know?"))]


def applies_to(applies: str, lang: str) -> str:
    """Who a topic's right or duty is for, in words (outline `applies_to`)."""
    _ = gettext_for(lang)
    groups = {"domestic_workers": _("For domestic workers."), "trafficked_persons": _("For victims of trafficking.")}
    if applies == "all":
        return _("For every migrant, whatever their status.")
    if applies == "documented":
        return _("For migrants with legal status.")
    return groups.get(applies.removeprefix("group:"), _("For a specific group of people."))


def topic_answer(text: TopicText, lang: str, *, short: bool = False, note: CountryNote | None = None) -> list[dict]:
    """The full answer: the right, the note for the user's country, what to
    do, sources, and the offer of help. `short` (SMS) keeps the short
    answer, the note, sources and the offer."""
    _ = gettext_for(lang)
    parts = [text.short] if short else [text.title, applies_to(text.applies_to, lang) + " " + text.answer]
    if note is not None:
        where = _("In {country}:").format(country=Locale.parse(lang).territories.get(note.country, note.country))
        parts.append(f"{where} {note.text}" if short else
                     f"{where} {note.text}\n" + _("Source: {url}").format(url=note.source_url))
    if text.steps and not short:
        parts.append(_("What you can do:") + "\n" + "\n".join(f"• {step}" for step in text.steps))
    sources = ", ".join(text.sources)
    if text_direction(lang) == "rtl":
        # Isolate the Latin citations so the bidi algorithm keeps them whole.
        sources = f"\u2068{sources}\u2069"
    parts.append(_("Sources: {sources}.").format(sources=sources))
    parts.append(
        _(
            "The law of the country where you are may give you more rights. "
            "Local help services can explain the details."
        )
    )
    if (not text.reviewed or text.lang != lang) and not short:
        parts.append(_("This text was translated with machine help and not yet checked by a person."))
    messages = [message("\n\n".join(parts))]
    if text.services:
        messages.append(message(_("Do you want help from one of these services?"), help_buttons(text.services, lang)))
    return messages


def did_you_mean(lang: str, titles: dict[str, str]) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("I am not sure I understood. Is your question about one of these?"), topic_buttons(titles))]


def not_understood(lang: str, titles: dict[str, str]) -> list[dict]:
    _ = gettext_for(lang)
    return [
        message(
            _(
                "Sorry, I did not understand. You can ask me about your rights at work, "
                "your documents, health care, or where to find help. For example:"
            ),
            topic_buttons(titles),
        )
    ]


def out_of_scope(lang: str, titles: dict[str, str]) -> list[dict]:
    _ = gettext_for(lang)
    return [
        message(
            _("I can only help with the rights of migrants and with finding help. You can ask me, for example:"),
            topic_buttons(titles),
        )
    ]


def help_menu(lang: str, categories: list[str]) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("What kind of help do you need?"), help_buttons(categories, lang))]


def emergency(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [
        message(
            _(
                "If you or someone else is in danger now, call the local emergency number "
                "(police or ambulance) right away. If you can, go to a safe place "
                "or stay near other people."
            )
        ),
        message(
            _("A confidential hotline or a shelter can also help you."),
            help_buttons(["hotline", "shelter"], lang),
        ),
    ]


def team_informed(lang: str) -> dict:
    _ = gettext_for(lang)
    return message(_("I have asked a person from our team to read this conversation."))


def language_changed(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    # TRANSLATORS: name your own language here ("De acuerdo, escribiré en español...").
    return [message(_("OK, I will write in English. What would you like to know?"))]


def language_menu(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("Which language do you want me to use?"), language_buttons())]
