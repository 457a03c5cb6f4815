"""The words a user sends to have their conversation erased.

The whole message must be one of these (case, accents and punctuation
aside), so a sentence that mentions deleting data is never taken for it.
They are listed in the README and in the chat's privacy note.
"""
from __future__ import annotations

from actions.replies import message
from directory.text import normalize
from locales import gettext_for

KEYWORDS = {
    "delete my data": "en", "erase my data": "en", "forget me": "en",
    "borrar mis datos": "es", "borra mis datos": "es", "olvidame": "es",
    "supprimer mes donnees": "fr", "effacer mes donnees": "fr", "oubliez moi": "fr",
    "احذف بياناتي": "ar", "امسح بياناتي": "ar",
    "burahin ang data ko": "tl", "burahin ang aking data": "tl",
    "hapus data saya": "id", "hapus data": "id",
}
_NORMALIZED = {normalize(k): lang for k, lang in KEYWORDS.items()}


def is_request(text: str) -> bool:
    return normalize(text) in _NORMALIZED


def language_of(text: str) -> str | None:
    return _NORMALIZED.get(normalize(text))


def confirmation(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("Everything about this conversation has been deleted. You can start again at any time."))]
