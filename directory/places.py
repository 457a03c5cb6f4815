"""Where is the user, and where are they from?

"I am Filipino and I work in Dubai" -> nationality PH, country AE, region
Dubai. Country names come from CLDR (Babel) in every language the bot
speaks; cities, short names, nationality words and "I am from" markers
from directory/data/places.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale

from directory.records import countries
from directory.text import normalize
from locales import SUPPORTED_LANGUAGES

PLACES_FILE = Path(__file__).parent / "data" / "places.yaml"
_ARABIC_PREFIX = "[وفبل]?"
# Country names that are also everyday words or first names ("مالي" = "my
# money"; Chad, Jordan, Maurice): never read as places.
_AMBIGUOUS = {"مالي", "chad", "jordan", "maurice", "man", "niger"}


@dataclass(frozen=True)
class Places:
    country: str | None = None  # where the user is
    region: str | None = None
    nationality: str | None = None


@dataclass(frozen=True)
class _Gazetteer:
    names: list[tuple[re.Pattern, str, str, str | None]]  # (pattern, kind, country, region); kind: place|demonym
    origin: re.Pattern


def _pattern(name: str) -> re.Pattern:
    words = normalize(name).split()
    body = r"\s+".join(re.escape(w) for w in words)
    if re.match(r"[\u0600-\u06ff]", words[0]):
        # Arabic: "في دبي", "بدبي", "من الفلبين", "والفلبين"
        body = _ARABIC_PREFIX + ("(?:ال)?" if not words[0].startswith("ال") else "") + body
    return re.compile(r"(?<!\S)" + body + r"(?!\S)")


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    data = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    entries: dict[tuple[str, str, str, str | None], None] = {}
    for lang in {*SUPPORTED_LANGUAGES, "en"}:
        for code, name in Locale.parse(lang).territories.items():
            if code in countries() and len(normalize(name)) > 2 and normalize(name) not in _AMBIGUOUS:
                entries[(normalize(name), "place", code, None)] = None
    for code, aliases in data["country_aliases"].items():
        for alias in aliases:
            entries[(normalize(alias), "place", code, None)] = None
    for city in data["cities"]:
        for name in city["names"]:
            entries[(normalize(name), "place", city["country"], city["region"])] = None
    for code, words in data["demonyms"].items():
        for word in words:
            if normalize(word) in _AMBIGUOUS:
                continue
            entries.setdefault((normalize(word), "demonym", code, None), None)
    # Longest names first, so "Guinea-Bissau" wins over "Guinea".
    ordered = sorted(entries, key=lambda e: -len(e[0]))
    markers = sorted({normalize(m) for ms in data["origin_markers"].values() for m in ms}, key=len, reverse=True)
    origin = re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(m) for m in markers) + r")\s+(?:the\s+|la\s+|le\s+|les\s+|l\s+)?$")
    return _Gazetteer([(_pattern(n), kind, code, region) for n, kind, code, region in ordered], origin)


def find(text: str, *, expecting: str | None = None) -> Places:
    """The places a message names. `expecting` ("country" or "nationality")
    is what the bot just asked for: a bare country name answers it."""
    norm = normalize(text)
    gaz = _gazetteer()
    taken: list[tuple[int, int]] = []
    country = region = nationality = None
    for rx, kind, code, reg in gaz.names:
        for m in rx.finditer(norm):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            is_origin = kind == "demonym" or bool(gaz.origin.search(norm[: m.start()]))
            if kind == "place" and reg is None and expecting == "nationality" and not nationality:
                is_origin = True
            if is_origin and not nationality:
                nationality = code
            elif not is_origin and (country is None or (reg and region is None and code == country)):
                if country is None or region is None:
                    country, region = code, reg or region
    return Places(country, region, nationality)
