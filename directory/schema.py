"""Tables of the directory database."""
from __future__ import annotations

from pathlib import Path

import sqlite_utils

SERVICE_COLUMNS = {
    "id": str,
    "name": str,
    "category": str,
    "country": str,  # ISO 3166-1 alpha-2 of the host country
    "regions": str,  # JSON list; empty = the whole country
    "nationality": str,  # consulates: the country they represent
    "address": str,
    "latitude": float,
    "longitude": float,
    "phones": str,  # JSON list of {"number": E.164, "kind": voice|sms|whatsapp, "label"}
    "email": str,
    "website": str,
    "hours": str,  # JSON: "always", or [{"days": ["mon", ...], "open": "08:00", "close": "20:00"}]
    "languages": str,  # JSON list of ISO 639-1 codes
    "serves": str,  # JSON: {} everyone, or {"nationality": [..], "gender": "women", "group": "domestic_workers"}
    "free": int,
    "confidential": int,
    "notes": str,
    "sources": str,  # JSON list of URLs
    "verified_on": str,  # ISO date
    "demo": int,  # 1 = made-up entry for tests and demos, never shown as real
}


def connect(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def ensure(db: sqlite_utils.Database) -> None:
    if "services" not in db.table_names():
        db["services"].create(SERVICE_COLUMNS, pk="id", not_null={"name", "category", "country", "verified_on"})
        db["services"].create_index(["country", "category"])
    if "emergency_numbers" not in db.table_names():
        db["emergency_numbers"].create(
            {"country": str, "numbers": str, "sources": str, "verified_on": str}, pk="country"
        )
    if "danger_phrases" not in db.table_names():
        # kind: "danger" flags an emergency; "harmless" vetoes a match
        # ("my phone died" is not someone dying).
        db["danger_phrases"].create({"id": int, "lang": str, "kind": str, "phrase": str}, pk="id")
        db["danger_phrases"].create_index(["lang", "kind", "phrase"], unique=True)
    if "removed_phrases" not in db.table_names():
        # Shipped phrases a person deleted: updating from the files (seed)
        # adds new shipped phrases but never brings these back.
        db["removed_phrases"].create({"lang": str, "kind": str, "phrase": str}, pk=("lang", "kind", "phrase"))
    if "service_versions" not in db.table_names():
        # Every saved state of an entry, with who and when: history and restore.
        db["service_versions"].create(
            {"id": int, "service_id": str, "entry": str, "author": str, "saved_at": str, "action": str}, pk="id"
        )
        db["service_versions"].create_index(["service_id", "id"])
    if "meta" not in db.table_names():
        db["meta"].create({"key": str, "value": str}, pk="key")


def bump_revision(db: sqlite_utils.Database) -> None:
    """Readers cache by revision; every write calls this in its transaction."""
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('revision', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def revision(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
    return int(row[0]) if row else 0
