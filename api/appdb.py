"""The application database (app.db): one way to open it."""
from __future__ import annotations

from pathlib import Path

import sqlite_utils


def connect(path: Path) -> sqlite_utils.Database:
    """WAL (readers never wait for the one writer) and a busy timeout, so
    the chat, SMS and console requests share the file safely."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=5000")
    return db
