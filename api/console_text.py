"""The staff console in the staff member's language.

Operators and NGO editors are often not English speakers either: the console
pages come from their own catalog (`locales/<lang>/LC_MESSAGES/console.po`,
domain `console`), in the language picked from the menu (a cookie) or else
the browser's. The JSON API stays in English: it is for programs.

Python code marks console strings with `staff_` (extracted by
`make check-catalogs`); templates use `_` and `ngettext`. Codes stored in the
databases (a draft's state, a role, an escalation's reason) are shown
through `label`, never raw; why an edit was refused, through `reason`
(locales/reasons.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from babel.support import Translations
from fastapi import Request

from locales import (
    CONSOLE_DOMAIN,
    SUPPORTED_LANGUAGES,
    from_accept_language,
    language_name,
    text_direction,
    translations,
)
from locales.reasons import Reason, staff_

COOKIE = "console_lang"


# What pages say after an action (a redirect carries the key, never English).
NOTICES = {
    "saved": staff_("Draft {draft} saved."),
    "in_review": staff_("Draft {draft} submitted for review."),
    "published": staff_("Draft {draft} published."),
    "rejected": staff_("Draft {draft} rejected."),
    "imported_texts": staff_("Rows read: {rows}. Texts changed: {changed}."),
    "imported_entries": staff_("Entries imported: {count}."),
    "nothing_imported": staff_("Nothing was imported."),
    "topic_exists": staff_("Not saved: {topic} already exists."),
    "not_saved": staff_("Not saved: {reasons}"),
    "login_throttled": staff_("Too many failed attempts. Wait five minutes."),
    "login_wrong": staff_("Wrong username or password."),
}

LABELS = {
    # a draft: its state, the buttons that move it, what it changes ("kind.")
    "draft": staff_("draft"), "in_review": staff_("in review"), "published": staff_("published"),
    "rejected": staff_("rejected"), "submit": staff_("Submit"), "publish": staff_("Publish"),
    "reject": staff_("Reject"),
    "kind.text": staff_("text"), "kind.note": staff_("country note"), "kind.topic": staff_("topic"),
    "kind.service": staff_("directory entry"),
    # a translation of a topic
    "current": staff_("current"), "outdated": staff_("outdated"), "missing": staff_("missing"),
    # escalations
    "open": staff_("waiting"), "assigned": staff_("with an operator"), "resolved": staff_("resolved"),
    "urgent": staff_("urgent"), "high": staff_("high"), "normal": staff_("normal"),
    "emergency": staff_("emergency"), "asked_for_person": staff_("asked for a person"),
    "fallbacks": staff_("not understood several times"), "sensitive": staff_("sensitive subject"),
    "web": staff_("web chat"), "sms": staff_("SMS"),
    # an operator's SMS reply on its way ("sms.")
    "sms.queued": staff_("waiting to be sent"), "sms.sending": staff_("sending"), "sms.sent": staff_("sent"),
    "sms.delivered": staff_("delivered"), "sms.failed": staff_("not delivered"),
    "sms.capped": staff_("held: today's SMS limit is reached"),
    "sms.opted_out": staff_("not sent: the person replied STOP"),
    # who wrote a turn of a conversation ("who."), and what was done ("action.")
    "who.user": staff_("migrant"), "who.bot": staff_("assistant"), "who.operator": staff_("operator"),
    "who.note": staff_("internal note"),
    "action.assign": staff_("took the conversation"), "action.resolve": staff_("handed back to the assistant"),
    "action.reply": staff_("replied"), "action.note": staff_("added a note"), "action.tags": staff_("changed tags"),
    "action.erase": staff_("erased"), "action.publish": staff_("published"), "action.import": staff_("imported"),
    "action.restore": staff_("restored"), "action.delete": staff_("deleted"), "action.save": staff_("saved"),
    # staff roles
    "operator": staff_("operator"), "editor": staff_("editor"), "admin": staff_("admin"),
    # topics
    "right": staff_("right"), "obligation": staff_("obligation"),
    # help directory categories
    "hotline": staff_("hotline"), "shelter": staff_("shelter"), "legal_aid": staff_("legal aid"),
    "labour_inspection": staff_("labour inspection"), "medical": staff_("medical care"),
    "psychosocial": staff_("psychosocial support"), "consulate": staff_("consulate"), "asylum": staff_("asylum"),
    "iom": staff_("IOM (International Organization for Migration)"),
    # fields named in the reasons an edit is refused ("field.")
    "field.title": staff_("Title"), "field.short": staff_("SMS answer"), "field.answer": staff_("Web answer"),
    "field.steps": staff_("What you can do"), "field.questions": staff_("Ways people ask"),
    "field.text": staff_("Note"),
}


def console_language(request: Request) -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    return from_accept_language(request.headers.get("accept-language", ""))


@dataclass(frozen=True)
class ConsoleText:
    lang: str
    catalog: Translations

    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalog.ngettext(singular, plural, n)

    def label(self, code: str | None, of: str = "") -> str:
        """A stored code in words; `of` says which list it comes from where
        one code means two things ("note": a country note, or an operator's).
        Unknown codes (a reason added later) are shown as they are."""
        if code is None:
            return ""
        message = LABELS.get(f"{of}.{code}") or LABELS.get(code)
        return self.catalog.gettext(message) if message else code.replace("_", " ")

    def reason(self, reason: str) -> str:
        """Why something was refused, in this language when it can be."""
        if not isinstance(reason, Reason):
            return str(reason)  # a message from elsewhere (a library), as it came
        values = {k: self.reason(v) if isinstance(v, Reason) else self.label(v, "field") if k == "field" else v
                  for k, v in reason.values.items()}
        return self.catalog.gettext(reason.template).format(**values)

    def reasons(self, reasons: list[str]) -> str:
        return "; ".join(self.reason(r) for r in reasons)

    def notice(self, key: str, **values) -> str:
        return self.catalog.gettext(NOTICES[key]).format(**values)

    def context(self) -> dict:
        """What every console template gets."""
        return {"_": self.gettext, "ngettext": self.ngettext, "label": self.label, "reason_text": self.reason,
                "reasons_text": self.reasons, "lang": self.lang,
                "dir": text_direction(self.lang),
                "console_languages": [(code, language_name(code)) for code in SUPPORTED_LANGUAGES]}


def for_request(request: Request) -> ConsoleText:
    lang = console_language(request)
    return ConsoleText(lang, translations(lang, CONSOLE_DOMAIN))
