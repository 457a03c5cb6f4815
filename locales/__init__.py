"""Languages the assistant speaks, and their gettext catalogs.

Every user-facing string goes through `translations(lang)`; the compiled
catalogs live beside this file (`<lang>/LC_MESSAGES/messages.mo`). The
staff console's pages have a catalog of their own (domain `console`), so
that translating what migrants read never waits on the staff pages.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import Translations

CATALOG_DIR = Path(__file__).parent
DOMAIN = "messages"
CONSOLE_DOMAIN = "console"
DOMAINS = (DOMAIN, CONSOLE_DOMAIN)
DEFAULT_LANGUAGE = "en"
# Order is the order of the language menu.
SUPPORTED_LANGUAGES = ("en", "es", "fr", "ar", "tl", "id")


class CatalogMissing(RuntimeError):
    """A supported language has no compiled catalog (run `make catalogs`)."""


@cache
def translations(lang: str, domain: str = DOMAIN) -> Translations:
    """The catalog for `lang`; English source strings are their own translation.

    `Translations.load` silently falls back to NullTranslations when the .mo
    file is missing, which would quietly serve English: refuse that instead.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    mo = CATALOG_DIR / lang / "LC_MESSAGES" / f"{domain}.mo"
    if not mo.exists():
        if lang == DEFAULT_LANGUAGE:
            return Translations()
        raise CatalogMissing(f"no compiled catalog at {mo}")
    return Translations.load(str(CATALOG_DIR), [lang], domain)


def gettext_for(lang: str):
    """`_` bound to one language, for code that builds one reply."""
    return translations(lang).gettext


# Browsers name Tagalog "tl" or "fil" (Filipino), Indonesian "id" or the old "in".
_BROWSER_NAMES = {"fil": "tl", "in": "id"}


def from_accept_language(header: str) -> str:
    """The supported language a browser's Accept-Language header lists first.
    (Not Locale.negotiate: it answers "fil" for "tl", a code we do not serve.)"""
    for part in header.split(","):
        primary = part.split(";")[0].strip().split("-")[0].lower()
        code = _BROWSER_NAMES.get(primary, primary)
        if code in SUPPORTED_LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def text_direction(lang: str) -> str:
    return Locale.parse(lang).text_direction


# CLDR files Tagalog under Filipino; its speakers call the language Tagalog.
_OWN_NAMES = {"tl": "Tagalog", "id": "Bahasa Indonesia"}


def language_name(lang: str) -> str:
    """The language's own name for itself ("español", "العربية")."""
    if lang in _OWN_NAMES:
        return _OWN_NAMES[lang]
    name = Locale.parse(lang).get_display_name(lang)
    return name[:1].upper() + name[1:] if lang != "ar" else name
