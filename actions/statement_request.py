""""Send me everything": the link to the whole written statement.

Asked in the user's words; the whole message need not match, one of these
phrases in it is enough. Over SMS the link is the short one.
"""
from __future__ import annotations

import os
from functools import lru_cache

from actions.replies import message
from directory.text import normalize, phrase_pattern
from locales import gettext_for

PHRASES = [
    "send me everything", "tell me everything", "give me everything", "full list", "whole list", "all my rights",
    "all the rights", "all rights", "full statement",
    "dime todo", "mandame todo", "enviame todo", "todos mis derechos", "todos los derechos", "lista completa",
    "envoyez moi tout", "envoie moi tout", "dites moi tout", "dis moi tout", "tous mes droits", "tous les droits",
    "liste complete",
    "ارسل لي كل شيء", "كل حقوقي", "جميع حقوقي", "كل الحقوق", "القائمة الكاملة",
    "lahat ng karapatan ko", "lahat ng aking karapatan", "buong listahan", "ipadala mo lahat",
    "semua hak saya", "semua hak hak saya", "daftar lengkap", "kirim semuanya",
]


@lru_cache(maxsize=1)
def _patterns():
    return [phrase_pattern(p) for p in PHRASES]


def is_request(text: str) -> bool:
    norm = normalize(text)
    return len(norm.split()) <= 12 and any(rx.search(norm) for rx in _patterns())


def reply(lang: str, *, sms: bool) -> list[dict]:
    _ = gettext_for(lang)
    base = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    link = f"{base}/s/{lang}" if sms else f"{base}/statement/{lang}"
    return [message(_("Here are all your rights and duties on one page, to read or print: {link}").format(link=link))]
