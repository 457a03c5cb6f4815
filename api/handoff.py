"""Conversations with people: the queue, operator replies and notes, tags,
taking and handing back, and the transcript an operator reads.

Every change is written with its audit record in one transaction.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from api import audit
from api.appdb import connect
from api.escalations import PRIORITIES

PRIORITY_NAMES = {v: k for k, v in PRIORITIES.items()}
# The bot keeps answering an emergency (numbers, "which country?") until a
# person takes it; asking for a person or being stuck hands over at once.
SILENT_REASONS = {"asked_for_person", "fallbacks"}




def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "operator_messages" not in db.table_names():
        db["operator_messages"].create(
            {"id": int, "conversation_id": str, "author": str, "kind": str, "text": str,
             "created_at": str, "delivery": str},
            pk="id",
        )
        db["operator_messages"].create_index(["conversation_id", "id"])
    if "tags" not in db.table_names():
        db["tags"].create({"conversation_id": str, "tag": str}, pk=("conversation_id", "tag"))
    db.close()


@dataclass(frozen=True)
class Escalation:
    id: int
    conversation_id: str
    reason: str
    priority: str
    detail: str
    status: str
    assigned_to: str | None
    created_at: str

    @property
    def bot_silent(self) -> bool:
        return self.status == "assigned" or self.reason in SILENT_REASONS


def _escalation(row) -> Escalation:
    return Escalation(row["id"], row["conversation_id"], row["reason"], PRIORITY_NAMES[row["priority"]],
                      row["detail"] or "", row["status"], row["assigned_to"], row["created_at"])


def current(path: Path, conversation_id: str) -> Escalation | None:
    db = connect(path)
    try:
        rows = list(db.execute_returning_dicts(
            "SELECT * FROM escalations WHERE conversation_id = ? AND status != 'resolved' ORDER BY id DESC LIMIT 1",
            [conversation_id]))
    finally:
        db.close()
    return _escalation(rows[0]) if rows else None


def queue(path: Path, *, language: str | None = None, channel: str | None = None, status: str | None = None) -> dict:
    """Open and assigned escalations, most urgent first, then longest waiting."""
    where, args = ["e.status != 'resolved'"], []
    if status in ("open", "assigned"):
        where, args = ["e.status = ?"], [status]
    if language:
        where.append("c.language = ?")
        args.append(language)
    if channel:
        where.append("c.channel = ?")
        args.append(channel)
    db = connect(path)
    try:
        items = list(db.execute_returning_dicts(
            "SELECT e.*, c.language, c.channel, c.country FROM escalations e "
            "LEFT JOIN conversations c ON c.id = e.conversation_id "
            f"WHERE {' AND '.join(where)} ORDER BY e.priority, e.created_at", args))
        counts = dict(db.execute(
            "SELECT status, count(*) FROM escalations WHERE status != 'resolved' GROUP BY status").fetchall())
    finally:
        db.close()
    for item in items:
        item["priority"] = PRIORITY_NAMES[item["priority"]]
    return {"items": items, "counts": {"open": counts.get("open", 0), "assigned": counts.get("assigned", 0)}}


def _change(path: Path, escalation: Escalation, actor: str, action: str, **fields) -> None:
    db = connect(path)
    try:
        with db.conn:
            sets = ", ".join(f"{k} = ?" for k in fields)
            db.execute(f"UPDATE escalations SET {sets}, updated_at = ? WHERE id = ?",
                       [*fields.values(), _now(), escalation.id])
            audit.record(db, actor, action, escalation.conversation_id, escalation=escalation.id)
    finally:
        db.close()


def assign(path: Path, escalation: Escalation, username: str) -> None:
    _change(path, escalation, username, "assign", status="assigned", assigned_to=username)


def resolve(path: Path, escalation: Escalation, username: str) -> None:
    _change(path, escalation, username, "resolve", status="resolved")


def add_message(path: Path, conversation_id: str, author: str, kind: str, text: str, delivery: str) -> int:
    db = connect(path)
    try:
        with db.conn:
            cursor = db.execute(
                "INSERT INTO operator_messages (conversation_id, author, kind, text, created_at, delivery) "
                "VALUES (?, ?, ?, ?, ?, ?)", [conversation_id, author, kind, text, _now(), delivery])
            audit.record(db, author, kind, conversation_id, message=cursor.lastrowid)
            return cursor.lastrowid
    finally:
        db.close()


def replies_after(path: Path, conversation_id: str, after: int) -> list[dict]:
    """Operator replies (not notes) the user has not been sent yet."""
    db = connect(path)
    try:
        return list(db.execute_returning_dicts(
            "SELECT id, text, created_at FROM operator_messages WHERE conversation_id = ? AND kind = 'reply' "
            "AND id > ? ORDER BY id", [conversation_id, after]))
    finally:
        db.close()


def set_tags(path: Path, conversation_id: str, tags: list[str], actor: str) -> None:
    clean = sorted({t.strip().lower()[:40] for t in tags if t.strip()})
    db = connect(path)
    try:
        with db.conn:
            db.execute("DELETE FROM tags WHERE conversation_id = ?", [conversation_id])
            for tag in clean:
                db.execute("INSERT INTO tags (conversation_id, tag) VALUES (?, ?)", [conversation_id, tag])
            audit.record(db, actor, "tags", conversation_id, tags=clean)
    finally:
        db.close()


def transcript(app_db: Path, tracker_db: Path, conversation_id: str) -> dict:
    """User and bot turns from the tracker store, operator turns and notes
    from the application database, in time order; plus what the bot offered."""
    turns, topics, services, language = [], [], [], None
    if tracker_db.exists():
        with sqlite3.connect(tracker_db) as conn:
            rows = conn.execute(
                "SELECT type_name, timestamp, data FROM events WHERE sender_id = ? ORDER BY id", [conversation_id]
            ).fetchall()
        for kind, ts, data in rows:
            event = json.loads(data)
            when = datetime.fromtimestamp(ts, timezone.utc).isoformat()
            if kind == "user":
                turns.append({"who": "user", "text": event.get("text") or "", "at": when})
                language = (event.get("metadata") or {}).get("language") or language
            elif kind == "bot":
                meta = ((event.get("data") or {}).get("custom") or {}).get("meta")
                if meta:
                    topics += [meta["topic"]] if meta.get("topic") else []
                    services += meta.get("services") or []
                elif event.get("text"):
                    turns.append({"who": "bot", "text": event["text"], "at": when})
    db = connect(app_db)
    try:
        for row in db.execute_returning_dicts(
                "SELECT author, kind, text, created_at, delivery FROM operator_messages WHERE conversation_id = ?",
                [conversation_id]):
            turns.append({"who": "operator" if row["kind"] == "reply" else "note", "text": row["text"],
                          "at": row["created_at"], "author": row["author"], "delivery": row["delivery"]})
        outbox = {}
        if "sms_outbox" in db.table_names():
            outbox = {f"sms:{r[0]}": (r[1], r[2]) for r in db.execute(
                "SELECT id, status, error FROM sms_outbox WHERE conversation_id = ?", [conversation_id])}
        for turn in turns:
            if turn.get("delivery") in outbox:  # "sms failed (reason)"; the status apart, for the console
                turn["sms_status"], turn["sms_error"] = outbox[turn["delivery"]]
                turn["delivery"] = f"sms {turn['sms_status']}" + (f" ({turn['sms_error']})" if turn["sms_error"] else "")
        tags = [r[0] for r in db.execute("SELECT tag FROM tags WHERE conversation_id = ? ORDER BY tag", [conversation_id])]
        conv = list(db.execute_returning_dicts("SELECT * FROM conversations WHERE id = ?", [conversation_id]))
        escalations = list(db.execute_returning_dicts(
            "SELECT id, reason, priority, detail, status, assigned_to, created_at FROM escalations "
            "WHERE conversation_id = ? ORDER BY id", [conversation_id]))
    finally:
        db.close()
    for e in escalations:
        e["priority"] = PRIORITY_NAMES[e["priority"]]
    turns.sort(key=lambda t: t["at"])
    return {
        "id": conversation_id,
        "channel": conv[0]["channel"] if conv else None,
        "language": (conv[0]["language"] if conv else None) or language,
        "country": conv[0]["country"] if conv else None,
        "topics": sorted(set(topics)), "services": sorted(set(services)),
        "escalations": escalations, "tags": tags, "turns": turns,
    }
