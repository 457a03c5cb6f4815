"""Read access to the knowledge database: one topic's text in one language."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from locales import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class TopicText:
    topic_id: str
    lang: str  # the language of this text (English when no translation exists yet)
    title: str
    short: str
    answer: str
    steps: list[str]
    sources: list[str]
    services: list[str]
    applies_to: str
    reviewed: bool


def connect(db_path: Path | str) -> sqlite3.Connection:
    """A read-only connection; opened per call, as SQLite connections do not
    cross threads."""
    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def topic_text(db_path: Path | str, topic_id: str, lang: str) -> TopicText | None:
    """The topic in `lang`, or in English when it has no translation yet."""
    with connect(db_path) as conn:
        for candidate in dict.fromkeys([lang, DEFAULT_LANGUAGE]):
            row = conn.execute(
                "SELECT t.*, p.sources, p.services, p.applies_to FROM texts t "
                "JOIN topics p ON p.id = t.topic_id WHERE t.topic_id = ? AND t.lang = ?",
                (topic_id, candidate),
            ).fetchone()
            if row:
                return TopicText(
                    topic_id=row["topic_id"],
                    lang=row["lang"],
                    title=row["title"],
                    short=row["short"],
                    answer=row["answer"],
                    steps=json.loads(row["steps"]),
                    sources=json.loads(row["sources"]),
                    services=json.loads(row["services"]),
                    applies_to=row["applies_to"],
                    reviewed=bool(row["reviewed"]),
                )
    return None


def topic_titles(db_path: Path | str, lang: str) -> dict[str, str]:
    """Titles of every topic written in `lang`, in outline order."""
    with connect(db_path) as conn:
        rows = conn.execute(
            "SELECT t.topic_id, t.title FROM texts t JOIN topics p ON p.id = t.topic_id "
            "WHERE t.lang = ? ORDER BY p.position",
            (lang,),
        )
        return {r["topic_id"]: r["title"] for r in rows}


@dataclass(frozen=True)
class CountryNote:
    country: str
    lang: str  # English when the note has no translation yet
    text: str
    source_url: str


def country_note(db_path: Path | str, topic_id: str, lang: str, country: str | None) -> CountryNote | None:
    """What the answer adds for the user's host country, when there is one."""
    if not country:
        return None
    with connect(db_path) as conn:
        for candidate in dict.fromkeys([lang, DEFAULT_LANGUAGE]):
            row = conn.execute(
                "SELECT * FROM notes WHERE topic_id = ? AND country = ? AND lang = ?",
                (topic_id, country, candidate),
            ).fetchone()
            if row:
                return CountryNote(row["country"], row["lang"], row["text"], row["source_url"])
    return None
