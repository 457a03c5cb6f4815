"""What the gateway remembers per conversation: its language and country.

Kept in the application database (not the tracker store) so the language
is known before the message reaches Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from api.appdb import connect


@dataclass(frozen=True)
class Conversation:
    id: str
    channel: str
    language: str | None
    country: str | None




def ensure_schema(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
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


def ensure_columns(path: Path) -> None:
    """Columns added after the first release, for databases created before."""
    db = connect(path)
    if "fallbacks" not in db["conversations"].columns_dict:
        db["conversations"].add_column("fallbacks", int, not_null_default=0)
    db.close()


def count_fallback(path: Path, conversation_id: str, fallback: bool) -> int:
    """Consecutive turns the bot did not understand, after this one."""
    db = connect(path)
    try:
        with db.conn:
            db.execute(
                "UPDATE conversations SET fallbacks = CASE WHEN ? THEN fallbacks + 1 ELSE 0 END WHERE id = ?",
                [int(fallback), conversation_id],
            )
            row = db.execute("SELECT fallbacks FROM conversations WHERE id = ?", [conversation_id]).fetchone()
    finally:
        db.close()
    return row[0] if row else 0


def get(path: Path, conversation_id: str) -> Conversation | None:
    db = connect(path)
    try:
        row = db["conversations"].get(conversation_id)
    except sqlite_utils.db.NotFoundError:
        return None
    finally:
        db.close()
    return Conversation(row["id"], row["channel"], row["language"], row["country"])


def save(path: Path, conversation: Conversation) -> None:
    now = datetime.now(timezone.utc).isoformat()
    db = connect(path)
    with db.conn:
        db.execute(
            "INSERT INTO conversations (id, channel, language, country, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "language = excluded.language, country = excluded.country, updated_at = excluded.updated_at",
            (conversation.id, conversation.channel, conversation.language, conversation.country, now, now),
        )
    db.close()
