"""Is this message about someone in danger right now?

The NLU model alone is not trusted with this: a curated list of danger
phrases per language (NGO-editable, in the directory database) decides,
and a list of harmless look-alikes ("my phone died") vetoes a match it
overlaps. The model's `emergency` intent on its own only brings the
emergency numbers (action_emergency), never the escalation: on
tests/data/emergency_messages.yaml it missed 13 of 40 danger messages
and flagged 5 of 40 harmless ones, at confidence 1.0.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from directory import schema
from directory.text import normalize, phrase_pattern


@dataclass(frozen=True)
class Phrases:
    danger: list[tuple[str, re.Pattern]]
    harmless: list[tuple[str, re.Pattern]]
    sensitive: list[tuple[str, re.Pattern]]


_cache: dict[tuple[str, str], tuple[int, Phrases]] = {}
_lock = threading.Lock()


def phrases(db_path: Path, lang: str) -> Phrases:
    """The lists for `lang`, recompiled only after an edit (revision bump)."""
    db = schema.connect(db_path)
    try:
        rev = schema.revision(db)
        key = (str(db_path), lang)
        with _lock:
            cached = _cache.get(key)
            if cached and cached[0] == rev:
                return cached[1]
        rows = list(db.execute("SELECT kind, phrase FROM danger_phrases WHERE lang = ?", [lang]).fetchall())
    finally:
        db.close()
    compiled = Phrases(
        danger=[(p, phrase_pattern(p)) for kind, p in rows if kind == "danger"],
        harmless=[(p, phrase_pattern(p)) for kind, p in rows if kind == "harmless"],
        sensitive=[(p, phrase_pattern(p)) for kind, p in rows if kind == "sensitive"],
    )
    with _lock:
        _cache[key] = (rev, compiled)
    return compiled


@dataclass(frozen=True)
class Verdict:
    emergency: bool
    reason: str  # "phrase: ..." or ""
    sensitive: bool = False  # signs of trafficking or abuse: a person should read it


def assess(db_path: Path, text: str, lang: str) -> Verdict:
    norm = normalize(text)
    lists = [phrases(db_path, lang)] + ([phrases(db_path, "en")] if lang != "en" else [])
    harmless_spans = [m.span() for p in lists for _, rx in p.harmless for m in rx.finditer(norm)]
    for plist in lists:
        for phrase, rx in plist.danger:
            for m in rx.finditer(norm):
                if not any(a < m.end() and m.start() < b for a, b in harmless_spans):
                    return Verdict(True, f"phrase: {phrase}")
    for plist in lists:
        for phrase, rx in plist.sensitive:
            if rx.search(norm):
                return Verdict(False, f"sensitive: {phrase}", sensitive=True)
    return Verdict(False, "")


_CATEGORY_WORDS = Path(__file__).parent / "data" / "category_words.yaml"


@lru_cache(maxsize=1)
def _category_patterns() -> list[tuple[str, re.Pattern]]:
    data = yaml.safe_load(_CATEGORY_WORDS.read_text(encoding="utf-8"))
    return [(category, phrase_pattern(str(word))) for category, words in data.items() for word in words]


def category_named(text: str) -> str | None:
    """The help category a message names in words, when the NLU found none."""
    norm = normalize(text)
    return next((category for category, rx in _category_patterns() if rx.search(norm)), None)
