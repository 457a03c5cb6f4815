"""Staff accounts (operator, editor, admin) and their sign-in sessions.

Passwords are hashed with Argon2id (argon2-cffi). A session is a random id
in an HttpOnly cookie, stored server-side with its own CSRF token, so
signing out or disabling an account ends it at once.
"""
from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from api.appdb import connect
from locales.reasons import Reason, staff_

ROLES = ("operator", "editor", "admin")
SESSION_HOURS = 12
MIN_PASSWORD = 10
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    username: str
    role: str

    def can(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


@dataclass(frozen=True)
class Session:
    id: str
    user: User
    csrf: str




def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "users" not in db.table_names():
        db["users"].create(
            {"username": str, "password_hash": str, "role": str, "disabled": int, "created_at": str},
            pk="username",
        )
    if "sessions" not in db.table_names():
        db["sessions"].create({"id": str, "username": str, "csrf": str, "expires_at": str}, pk="id")
    db.close()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def count(path: Path) -> int:
    db = connect(path)
    try:
        return db["users"].count
    finally:
        db.close()


def create(path: Path, username: str, password: str, role: str) -> User:
    username = username.strip().lower()
    if role not in ROLES:
        raise ValueError(Reason(staff_("role must be one of {roles}"), roles=", ".join(ROLES)))
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ValueError(Reason(staff_("username: letters, digits, dot, dash or underscore, at most 64")))
    if len(password) < MIN_PASSWORD:
        raise ValueError(Reason(staff_("password: at least {count} characters"), count=MIN_PASSWORD))
    db = connect(path)
    try:
        with db.conn:
            if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
                raise ValueError(Reason(staff_("username: already taken")))
            db["users"].insert({
                "username": username, "password_hash": _hasher.hash(password), "role": role,
                "disabled": 0, "created_at": _now().isoformat(),
            })
    finally:
        db.close()
    return User(username, role)


def users(path: Path) -> list[dict]:
    db = connect(path)
    try:
        return list(db.execute_returning_dicts("SELECT username, role, disabled, created_at FROM users ORDER BY username"))
    finally:
        db.close()


def set_disabled(path: Path, username: str, disabled: bool) -> None:
    db = connect(path)
    try:
        with db.conn:
            db.execute("UPDATE users SET disabled = ? WHERE username = ?", [int(disabled), username])
            if disabled:
                db.execute("DELETE FROM sessions WHERE username = ?", [username])
    finally:
        db.close()


def authenticate(path: Path, username: str, password: str) -> User | None:
    db = connect(path)
    try:
        row = db.execute(
            "SELECT username, password_hash, role, disabled FROM users WHERE username = ?", [username.strip().lower()]
        ).fetchone()
    finally:
        db.close()
    if row is None:
        _hasher.hash(password)  # the same work whether or not the user exists
        return None
    try:
        _hasher.verify(row[1], password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    return None if row[3] else User(row[0], row[2])


def start_session(path: Path, user: User) -> Session:
    session = Session(secrets.token_urlsafe(32), user, secrets.token_urlsafe(32))
    db = connect(path)
    try:
        with db.conn:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", [_now().isoformat()])
            db["sessions"].insert({
                "id": session.id, "username": user.username, "csrf": session.csrf,
                "expires_at": (_now() + timedelta(hours=SESSION_HOURS)).isoformat(),
            })
    finally:
        db.close()
    return session


def session(path: Path, session_id: str | None) -> Session | None:
    if not session_id:
        return None
    db = connect(path)
    try:
        row = db.execute(
            "SELECT s.id, u.username, u.role, s.csrf FROM sessions s JOIN users u ON u.username = s.username "
            "WHERE s.id = ? AND s.expires_at > ? AND u.disabled = 0",
            [session_id, _now().isoformat()],
        ).fetchone()
    finally:
        db.close()
    return Session(row[0], User(row[1], row[2]), row[3]) if row else None


def end_session(path: Path, session_id: str) -> None:
    db = connect(path)
    try:
        with db.conn:
            db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
    finally:
        db.close()


class LoginThrottle:
    """At most 5 failed sign-ins per username and 20 per address (an office
    shares one) in `window` seconds; in memory (one process serves all)."""

    def __init__(self, per_user: int = 5, per_address: int = 20, window: float = 300.0) -> None:
        self.per_user, self.per_address, self.window = per_user, per_address, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        q, cutoff = self._failures[key], time.monotonic() - self.window
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        return any(len(self._recent(k)) >= (self.per_user if k.startswith("user:") else self.per_address) for k in keys)

    def failed(self, *keys: str) -> None:
        for k in keys:
            self._recent(k).append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        for k in keys:
            self._failures.pop(k, None)


def ensure_first_admin(path: Path, username: str | None, password: str | None) -> str | None:
    """With no account yet, create the admin: from ADMIN_USERNAME and
    ADMIN_PASSWORD, or with a one-time password that is returned (and
    printed by the caller, never logged again)."""
    if count(path):
        return None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12)
    create(path, username or "admin", password, "admin")
    return generated
