"""The audit log: who did what to which conversation, account or entry."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils


def ensure_schema(path: Path) -> None:
    db = sqlite_utils.Database(path)
    if "audit" not in db.table_names():
        db["audit"].create(
            {"id": int, "at": str, "actor": str, "action": str, "target": str, "detail": str}, pk="id"
        )
        db["audit"].create_index(["target"])
    db.close()


def record(db: sqlite_utils.Database, actor: str, action: str, target: str, **detail) -> None:
    """Write inside the caller's transaction, so the action and its record
    are kept or lost together."""
    db.execute(
        "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        [datetime.now(timezone.utc).isoformat(), actor, action, target, json.dumps(detail, ensure_ascii=False)],
    )


def log(path: Path, actor: str, action: str, target: str, **detail) -> None:
    """One line in its own transaction: for changes made in another database
    (knowledge base, directory), after they are written."""
    from api.appdb import connect

    db = connect(path)
    try:
        with db.conn:
            record(db, actor, action, target, **detail)
    finally:
        db.close()


def entries(path: Path, target: str | None = None, limit: int = 200) -> list[dict]:
    db = sqlite_utils.Database(path)
    try:
        where, args = ("WHERE target = ?", [target]) if target else ("", [])
        return list(db.execute_returning_dicts(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT {int(limit)}", args))
    finally:
        db.close()
