"""Forgetting: erase one conversation on request, and expire old ones.

Erasure really deletes, from the tracker store and from every table of the
application database; the audit log keeps only that it happened.

    python -m api.retention --days 90     # what the server does daily
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from api import audit
from api.settings import get_settings

# Tables of app.db keyed by conversation id (column name).
CONVERSATION_TABLES = {
    "conversations": "id", "escalations": "conversation_id", "operator_messages": "conversation_id",
    "tags": "conversation_id", "sms_inbound": "conversation_id", "sms_state": "conversation_id",
    "sms_numbers": "conversation_id", "sms_outbox": "conversation_id",
}


def erase(app_db: Path, tracker_db: Path, conversation_id: str, actor: str) -> None:
    if tracker_db.exists():
        with sqlite3.connect(tracker_db) as conn:
            conn.execute("DELETE FROM events WHERE sender_id = ?", [conversation_id])
    import sqlite_utils

    db = sqlite_utils.Database(app_db)
    try:
        with db.conn:
            tables = set(db.table_names())
            for table, column in CONVERSATION_TABLES.items():
                if table in tables:
                    db.execute(f"DELETE FROM {table} WHERE {column} = ?", [conversation_id])
            audit.record(db, actor, "erase", conversation_id)
    finally:
        db.close()


def expire(app_db: Path, tracker_db: Path, days: int) -> int:
    """Erase every conversation silent for more than `days` days."""
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    ids: set[str] = set()
    if tracker_db.exists():
        with sqlite3.connect(tracker_db) as conn:
            ids |= {r[0] for r in conn.execute(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING max(timestamp) < ?", [cutoff.timestamp()])}
    if app_db.exists():
        with sqlite3.connect(app_db) as conn:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'conversations'").fetchone():
                ids |= {r[0] for r in conn.execute(
                    "SELECT id FROM conversations WHERE updated_at < ?", [cutoff.isoformat()])}
    for conversation_id in sorted(ids):
        erase(app_db, tracker_db, conversation_id, actor=f"expiry:{days}d")
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Erase conversations older than --days.")
    parser.add_argument("--days", type=int, default=settings.retention_days)
    args = parser.parse_args(argv)
    print(f"erased {expire(settings.app_db, settings.tracker_db, args.days)} conversation(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
