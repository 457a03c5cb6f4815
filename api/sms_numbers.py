"""Phone numbers, kept only where sending requires it (a conversation an
operator may answer by SMS), encrypted at rest (Fernet, key from
SMS_NUMBER_KEY or a generated key file), erased with the conversation."""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet

from api.appdb import connect


def load_key(key_file: Path) -> Fernet:
    key = os.environ.get("SMS_NUMBER_KEY", "").encode()
    if not key:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_bytes(Fernet.generate_key())
            key_file.chmod(0o600)
        key = key_file.read_bytes().strip()
    return Fernet(key)


def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "sms_numbers" not in db.table_names():
        db["sms_numbers"].create({"conversation_id": str, "number": bytes}, pk="conversation_id")
    db.close()


def keep(path: Path, fernet: Fernet, conversation_id: str, number: str) -> None:
    db = connect(path)
    try:
        with db.conn:
            db["sms_numbers"].upsert({"conversation_id": conversation_id, "number": fernet.encrypt(number.encode())},
                                     pk="conversation_id")
    finally:
        db.close()


def number_for(path: Path, fernet: Fernet, conversation_id: str) -> str | None:
    db = connect(path)
    try:
        row = db.execute("SELECT number FROM sms_numbers WHERE conversation_id = ?", [conversation_id]).fetchone()
    finally:
        db.close()
    return fernet.decrypt(row[0]).decode() if row else None
