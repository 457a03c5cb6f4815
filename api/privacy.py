"""Pseudonymous sender ids: a keyed hash of what the channel gives us.

The same person keeps the same id across messages, but the id reveals
neither the phone number nor the browser's id without the key. The key
comes from SENDER_ID_SECRET, or is generated once into a local file.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def load_or_create_key(path: Path) -> bytes:
    from_env = os.environ.get("SENDER_ID_SECRET")
    if from_env:
        return from_env.encode()
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def pseudonym(key: bytes, channel: str, raw_id: str) -> str:
    """`channel` keeps a web id and a phone number that look alike apart."""
    digest = hmac.new(key, f"{channel}:{raw_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:32]}"
