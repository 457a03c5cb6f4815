"""SMS keywords, in every supported language and in English.

Matched only when the whole message is the keyword (case, accents and
punctuation ignored), so "stop hitting me" is a message, not an opt-out.
"""
from __future__ import annotations

import re
import unicodedata

# Twilio's own opt-out and opt-in words first, then ours per language.
STOP = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
        "alto", "baja", "parar", "arret", "desabonner", "توقف", "ايقاف", "الغاء",
        "hinto", "tigil", "ihinto", "berhenti", "stopkan"}
START = {"start", "unstop", "yes", "alta", "inicio", "demarrer", "reprendre", "ابدا", "اشتراك", "simula", "mulai"}
HELP = {"help", "info", "ayuda", "aide", "مساعده", "tulong", "bantuan"}
MORE = {"more", "mas", "plus", "suite", "المزيد", "مزيد", "higit", "lagi"}
LANGUAGE = {"lang", "language", "idioma", "langue", "لغه", "اللغه", "wika", "bahasa"}
LANGUAGE_CODES = {"en": "en", "es": "es", "fr": "fr", "ar": "ar", "tl": "tl", "id": "id"}


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه")
    return re.sub(r"[\W_]+", "", plain)


def keyword(text: str) -> str | None:
    """"stop", "start", "help", "more", "language", a language code, or None."""
    word = normalise(text)
    for name, words in (("stop", STOP), ("start", START), ("help", HELP), ("more", MORE), ("language", LANGUAGE)):
        if word in words:
            return name
    return LANGUAGE_CODES.get(word)
