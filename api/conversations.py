"""What the gateway remembers per conversation: its language and country.

Kept in the application database (not the tracker store) so the language
is known before the message reaches Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils


@dataclass(frozen=True)
class Conversation:
    id: str
    channel: str
    language: str | None
    country: str | None


def _db(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    return db


def ensure_schema(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = _db(path)
    if "conversations" not in db.table_names():
        db["conversations"].create(
            {
                "id": str,
                "channel": str,
                "language": str,
                "country": str,
                "created_at": str,
                "updated_at": str,
            },
            pk="id",
        )
        db["conversations"].create_index(["updated_at"])
    db.close()


def get(path: Path, conversation_id: str) -> Conversation | None:
    db = _db(path)
    try:
        row = db["conversations"].get(conversation_id)
    except sqlite_utils.db.NotFoundError:
        return None
    finally:
        db.close()
    return Conversation(row["id"], row["channel"], row["language"], row["country"])


def save(path: Path, conversation: Conversation) -> None:
    now = datetime.now(timezone.utc).isoformat()
    db = _db(path)
    with db.conn:
        db.execute(
            "INSERT INTO conversations (id, channel, language, country, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "language = excluded.language, country = excluded.country, updated_at = excluded.updated_at",
            (conversation.id, conversation.channel, conversation.language, conversation.country, now, now),
        )
    db.close()
