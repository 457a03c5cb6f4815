"""Conversations handed to people: why, how urgent, and whether still open.

The operator console (queue, replies, hand-back) builds on this table; the
chat API reports `escalated: true` while a conversation has an open one.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from api.appdb import connect

# Lower sorts first in the queue.
PRIORITIES = {"urgent": 0, "high": 1, "normal": 2}




def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "escalations" not in db.table_names():
        db["escalations"].create(
            {
                "id": int,
                "conversation_id": str,
                "reason": str,  # emergency | asked_for_person | fallbacks | sensitive
                "priority": int,
                "detail": str,
                "status": str,  # open | assigned | resolved
                "assigned_to": str,
                "created_at": str,
                "updated_at": str,
            },
            pk="id",
        )
        db["escalations"].create_index(["conversation_id", "status"])
        db["escalations"].create_index(["status", "priority", "created_at"])
    db.close()


def open_or_raise(path: Path, conversation_id: str, reason: str, priority: str, detail: str = "") -> int:
    """Open an escalation, or make the open one more urgent; returns its id."""
    now = datetime.now(timezone.utc).isoformat()
    level = PRIORITIES[priority]
    db = connect(path)
    try:
        with db.conn:
            row = db.execute(
                "SELECT id, priority FROM escalations WHERE conversation_id = ? AND status != 'resolved'",
                [conversation_id],
            ).fetchone()
            if row:
                if level < row[1]:
                    db.execute(
                        "UPDATE escalations SET priority = ?, reason = ?, detail = ?, updated_at = ? WHERE id = ?",
                        [level, reason, detail, now, row[0]],
                    )
                return row[0]
            cursor = db.execute(
                "INSERT INTO escalations (conversation_id, reason, priority, detail, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'open', ?, ?)",
                [conversation_id, reason, level, detail, now, now],
            )
            return cursor.lastrowid
    finally:
        db.close()


def is_open(path: Path, conversation_id: str) -> bool:
    db = connect(path)
    try:
        return db.execute(
            "SELECT 1 FROM escalations WHERE conversation_id = ? AND status != 'resolved'", [conversation_id]
        ).fetchone() is not None
    finally:
        db.close()
