"""Which supported language a message is written in, or that it is none.

Lingua (offline, ships its models) ranks the candidates. A conversation's
language only changes on clear evidence: short or ambiguous text keeps the
current language, so "ok" or "salam" never flips an Arabic conversation
to English. Arabic script, and Arabizi (Arabic in Latin letters with digits
for sounds, "3andi mochkil"), are recognised before the statistical model.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

from locales import SUPPORTED_LANGUAGES

# (Malay is left out on purpose: close to Indonesian, its speakers are
# better served in Indonesian than by the menu.)
# Languages we can tell apart but do not speak yet: a confident match on
# one of these earns the language menu instead of a wrong-language answer
# (without German and Romanian, their speakers got weak French and Spanish
# guesses). Each costs ~0.1-0.4 s of start-up, loaded while Rasa loads.
_OTHER = (
    "PORTUGUESE", "GERMAN", "ITALIAN", "DUTCH", "ROMANIAN", "TURKISH",
    "SOMALI", "SWAHILI", "VIETNAMESE",
    "POLISH", "ALBANIAN", "YORUBA", "ZULU",
)
_ARABIZI = re.compile(r"\b[a-z]*[a-z][235679][a-z]+|\b[235679][a-z]{2,}", re.IGNORECASE)
MIN_WORDS = 3
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Detection:
    language: str | None  # ISO 639-1 code of a supported language, or None
    confident: bool  # strong enough evidence to change a conversation's language
    unsupported: bool = False  # confidently a language we do not speak


@lru_cache(maxsize=1)
def _detector():
    codes = {getattr(Language, name) for name in _OTHER}
    codes |= {Language.from_iso_code_639_1(_iso(code)) for code in SUPPORTED_LANGUAGES}
    return LanguageDetectorBuilder.from_languages(*codes).with_preloaded_language_models().build()


def _iso(code: str):
    from lingua import IsoCode639_1

    return getattr(IsoCode639_1, code.upper())


def _script_share(text: str) -> tuple[float, float]:
    """Share of letters in Arabic script, and in any other non-Latin script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0, 0.0
    arabic = sum("ARABIC" in unicodedata.name(c, "") for c in letters)
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    other = len(letters) - arabic - latin
    return arabic / len(letters), other / len(letters)


def detect(text: str) -> Detection:
    arabic, other = _script_share(text)
    if arabic >= 0.5:
        return Detection("ar", True)
    if other >= 0.5:
        return Detection(None, True, unsupported=True)
    words = re.findall(r"\w+", text)
    if not words:
        return Detection(None, False)
    if common := common_word_language(text):
        return Detection(common, False)
    ranked = _detector().compute_language_confidence_values(text)
    code = _code(ranked[0])
    strong = len(words) >= MIN_WORDS and ranked[0].value >= MIN_CONFIDENCE
    if _ARABIZI.search(text) and not (strong and code in SUPPORTED_LANGUAGES):
        return Detection("ar", len(words) >= 2)
    if code not in SUPPORTED_LANGUAGES:
        if strong:
            return Detection(None, True, unsupported=True)
        # Weak evidence: offer the best supported candidate as a first guess.
        supported = [c for c in ranked if _code(c) in SUPPORTED_LANGUAGES and c.value > 0]
        return Detection(_code(supported[0]) if supported else None, False)
    return Detection(code, strong)


def _code(confidence) -> str:
    return confidence.language.iso_code_639_1.name.lower()


# One-word messages too short for statistics but common as a first message.
_COMMON_WORDS = {
    "hello": "en", "hi": "en", "hey": "en", "thanks": "en", "help": "en", "ok": "en", "okay": "en",
    "hola": "es", "buenas": "es", "gracias": "es", "ayuda": "es",
    "bonjour": "fr", "salut": "fr", "bonsoir": "fr", "merci": "fr", "aide": "fr",
    "salam": "ar", "marhaba": "ar", "shukran": "ar", "ahlan": "ar",
    "kumusta": "tl", "kamusta": "tl", "salamat": "tl", "tulong": "tl",
    "halo": "id", "terima": "id", "makasih": "id", "tolong": "id",
}
# Extra spellings of language names beyond what Babel's locale data gives
# (no accents, colloquial Arabic forms, Arabizi).
_EXTRA_NAMES = {
    "en": ("ingles", "inglish", "انجليزي", "انكليزي", "engleezi", "english"),
    "es": ("espanol", "castellano", "اسباني", "spanish"),
    "fr": ("francais", "frances", "فرنساوي", "فرنسي", "fransawi", "french"),
    "ar": ("arabe", "عربي", "بالعربي", "3arabi", "arabi", "arabic"),
    "tl": ("tagalog",),
    "id": (),
}
# CLDR's names for Tagalog ("Filipino", "الفلبينية") and Indonesian
# ("Indonesia", "indonesio") are also nationalities and a country: "I am
# Filipino" must not switch the language. These two are asked for only by
# these words and phrases.
_NAMES_ONLY_FROM_LIST = {"tl", "id"}
_PHRASES = {
    "bahasa indonesia": "id", "in indonesian": "id", "en indonesio": "id", "en indonesien": "id",
    "wikang tagalog": "tl", "sa tagalog": "tl", "in tagalog": "tl", "en tagalo": "tl",
}
_MAX_SWITCH_WORDS = 5


def _fold(text: str) -> str:
    """Lower case without accents, for matching names typed any way."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for code in SUPPORTED_LANGUAGES:
        for in_lang in SUPPORTED_LANGUAGES:
            if code in _NAMES_ONLY_FROM_LIST:
                break
            name = _fold(Locale.parse(code).get_display_name(in_lang))
            names[name] = code
            if name.startswith("ال"):  # Arabic article, and "in Arabic" (بال...)
                names[name[2:]] = code
                names["ب" + name] = code
        for extra in _EXTRA_NAMES[code]:
            names[_fold(extra)] = code
    return names


def requested_language(text: str) -> str | None:
    """The language a short message asks to switch to ("español", "بالعربية")."""
    words = re.findall(r"\w+", _fold(text))
    if not words or len(words) > _MAX_SWITCH_WORDS:
        return None
    folded = " ".join(words)
    phrases = {code for phrase, code in _PHRASES.items() if phrase in folded}
    if len(phrases) == 1:
        return phrases.pop()
    names = _language_names()
    found = {names[w] for w in words if w in names and not (w == "indonesia" or w.startswith("filipin"))}
    return found.pop() if len(found) == 1 else None


def common_word_language(text: str) -> str | None:
    words = re.findall(r"\w+", _fold(text))
    return _COMMON_WORDS.get(words[0]) if len(words) == 1 else None


@dataclass(frozen=True)
class Choice:
    language: str
    switched: bool  # the conversation's language changed with this message
    menu: bool  # show the language menu (unknown or unsupported language)


def choose_language(text: str, current: str | None, explicit: str | None = None) -> Choice:
    """The language to answer this message in, given the conversation's so far.

    An explicit choice (API field, menu button) wins; then a request in words
    ("español"); then clear statistical evidence. Weak evidence only decides
    the first message of a conversation.
    """
    from locales import DEFAULT_LANGUAGE

    if explicit:
        return Choice(explicit, explicit != current, False)
    if requested := requested_language(text):
        return Choice(requested, requested != current, False)
    found = detect(text)
    if found.unsupported:
        return Choice(current or DEFAULT_LANGUAGE, False, True)
    if found.language and (found.confident or current is None):
        return Choice(found.language, current is not None and found.language != current, False)
    if current:
        return Choice(current, False, False)
    return Choice(DEFAULT_LANGUAGE, False, True)
