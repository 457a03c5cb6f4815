"""What the SMS gateway must remember: each provider message it answered
(retries get the same reply, not a second turn), opt-outs, the numbered
options last offered, and the rest of a reply cut at the segment limit."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from api.appdb import connect


@dataclass
class SmsState:
    opted_out: bool = False
    options: list[str] = field(default_factory=list)  # payloads for "1", "2", ...
    pending: str = ""  # the rest of a reply, sent on "MORE"




def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "sms_inbound" not in db.table_names():
        db["sms_inbound"].create(
            {"message_sid": str, "conversation_id": str, "reply": str, "created_at": str}, pk="message_sid"
        )
        db["sms_inbound"].create_index(["conversation_id"])
    if "sms_state" not in db.table_names():
        db["sms_state"].create(
            {"conversation_id": str, "opted_out": int, "options": str, "pending": str, "updated_at": str},
            pk="conversation_id",
        )
    db.close()


def answered(path: Path, message_sid: str) -> str | None:
    """The reply already given to this provider message, if any."""
    db = connect(path)
    try:
        row = db.execute("SELECT reply FROM sms_inbound WHERE message_sid = ?", [message_sid]).fetchone()
    finally:
        db.close()
    return row[0] if row else None


def load(path: Path, conversation_id: str) -> SmsState:
    db = connect(path)
    try:
        row = db.execute(
            "SELECT opted_out, options, pending FROM sms_state WHERE conversation_id = ?", [conversation_id]
        ).fetchone()
    finally:
        db.close()
    if not row:
        return SmsState()
    return SmsState(bool(row[0]), json.loads(row[1]), row[2])


def record(path: Path, *, message_sid: str, conversation_id: str, reply: str, state: SmsState) -> None:
    """The reply and the new state in one transaction: a crash keeps both or neither."""
    now = datetime.now(timezone.utc).isoformat()
    db = connect(path)
    with db.conn:
        db.execute(
            "INSERT INTO sms_inbound (message_sid, conversation_id, reply, created_at) VALUES (?, ?, ?, ?)",
            [message_sid, conversation_id, reply, now],
        )
        db.execute(
            "INSERT INTO sms_state (conversation_id, opted_out, options, pending, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(conversation_id) DO UPDATE SET opted_out = excluded.opted_out, "
            "options = excluded.options, pending = excluded.pending, updated_at = excluded.updated_at",
            [conversation_id, int(state.opted_out), json.dumps(state.options), state.pending, now],
        )
    db.close()
