"""Outbound SMS: a durable queue, sent by a background worker, with
retries and back-off, delivery receipts, and a daily cap per number.

A message is written to the queue before anything is sent, so a crash
loses nothing; one caught mid-send is sent again (at least once).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

from api import sms_numbers, sms_state
from api.appdb import connect
from api.sms_providers import PermanentError, TransientError
from knowledge.segments import segments

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# Twilio error codes of a failed delivery worth another try (queue
# overflow, unreachable handset, unknown error); others are final.
TRANSIENT_DELIVERY_ERRORS = {"30001", "30003", "30008"}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "sms_outbox" not in db.table_names():
        db["sms_outbox"].create(
            {"id": int, "conversation_id": str, "body": str, "segments": int,
             "status": str,  # queued | sending | sent | delivered | failed | capped | opted_out
             "attempts": int, "next_attempt_at": str, "provider": str, "provider_id": str, "error": str,
             "created_at": str, "updated_at": str},
            pk="id",
        )
        db["sms_outbox"].create_index(["status", "next_attempt_at"])
        db["sms_outbox"].create_index(["provider_id"])
        db["sms_outbox"].create_index(["conversation_id", "created_at"])
    db.close()


def enqueue(path: Path, conversation_id: str, body: str, *, daily_cap: int) -> tuple[int, str]:
    """Queue a message; (id, status). Over the day's cap it is kept as
    `capped` and not sent: SMS pumping costs real money."""
    count = segments(body)
    now = _now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
    db = connect(path)
    try:
        with db.conn:
            used = db.execute(
                "SELECT coalesce(sum(segments), 0) FROM sms_outbox WHERE conversation_id = ? AND created_at >= ? "
                "AND status NOT IN ('capped', 'opted_out', 'failed')", [conversation_id, day_start]).fetchone()[0]
            status = "capped" if used + count > daily_cap else "queued"
            cursor = db.execute(
                "INSERT INTO sms_outbox (conversation_id, body, segments, status, attempts, next_attempt_at, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                [conversation_id, body, count, status, now.isoformat(), now.isoformat(), now.isoformat()])
            return cursor.lastrowid, status
    finally:
        db.close()


def _set(db, message_id: int, **fields) -> None:
    fields["updated_at"] = _now().isoformat()
    db.execute(f"UPDATE sms_outbox SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
               [*fields.values(), message_id])


def _retry_or_fail(db, row: dict, error: str, base_seconds: float, *, new_attempt: bool = True) -> None:
    """Back to the queue after 1, 2, 4, 8 x base seconds; failed after
    MAX_ATTEMPTS. A failed delivery receipt is not a new attempt."""
    attempts = row["attempts"] + int(new_attempt)
    if attempts >= MAX_ATTEMPTS:
        _set(db, row["id"], status="failed", attempts=attempts, error=error)
    else:
        delay = base_seconds * 2 ** max(attempts - 1, 0)
        _set(db, row["id"], status="queued", attempts=attempts, error=error,
             next_attempt_at=(_now() + timedelta(seconds=delay)).isoformat())


def recover(path: Path) -> None:
    """After a crash: what was being sent goes back to the queue."""
    db = connect(path)
    with db.conn:
        db.execute("UPDATE sms_outbox SET status = 'queued' WHERE status = 'sending'")
    db.close()


def deliver_due(path: Path, provider, fernet, *, status_callback: str | None, base_seconds: float) -> int:
    """Send every queued message that is due; the number sent."""
    db = connect(path)
    try:
        due = list(db.execute_returning_dicts(
            "SELECT * FROM sms_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id",
            [_now().isoformat()]))
        sent = 0
        for row in due:
            if sms_state.load(path, row["conversation_id"]).opted_out:
                with db.conn:
                    _set(db, row["id"], status="opted_out")
                continue
            number = sms_numbers.number_for(path, fernet, row["conversation_id"])
            if number is None or provider is None:
                with db.conn:
                    _set(db, row["id"], status="failed",
                         error="no number kept for this conversation" if number is None else "no SMS provider configured")
                continue
            with db.conn:
                _set(db, row["id"], status="sending", provider=provider.name)
            try:
                provider_id = provider.send(number, row["body"], status_callback)
            except TransientError as exc:
                with db.conn:
                    _retry_or_fail(db, row, str(exc), base_seconds)
                continue
            except PermanentError as exc:
                with db.conn:
                    _set(db, row["id"], status="failed", attempts=row["attempts"] + 1, error=str(exc))
                continue
            with db.conn:
                _set(db, row["id"], status="sent", attempts=row["attempts"] + 1, provider_id=provider_id, error=None)
            sent += 1
        return sent
    finally:
        db.close()


def receipt(path: Path, provider_id: str, status: str, error_code: str | None, *, base_seconds: float) -> bool:
    """A delivery receipt from the provider; False if the id is unknown."""
    db = connect(path)
    try:
        rows = list(db.execute_returning_dicts("SELECT * FROM sms_outbox WHERE provider_id = ?", [provider_id]))
        if not rows:
            return False
        row = rows[0]
        with db.conn:
            if status == "delivered":
                _set(db, row["id"], status="delivered")
            elif status in ("failed", "undelivered"):
                if (error_code or "") in TRANSIENT_DELIVERY_ERRORS:
                    _retry_or_fail(db, row, f"delivery failed ({error_code})", base_seconds, new_attempt=False)
                else:
                    _set(db, row["id"], status="failed", error=f"delivery failed ({error_code or status})")
        return True
    finally:
        db.close()
