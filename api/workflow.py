"""Draft, in review, published: the editing workflow for NGO content.

A change is first a draft (checked, not yet live); its author submits it
for review; an editor or admin publishes it, and only then does it reach
users (with a version and an audit line). Operators cannot publish. The
`kind` says what a draft changes ("service" for the directory); the
knowledge base will use the same table and states.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from api import audit
from api.appdb import connect

STATES = ("draft", "in_review", "published", "rejected")
_NEXT = {"submit": ("draft", "in_review"), "publish": ("in_review", "published"), "reject": ("in_review", "rejected")}


class WorkflowError(ValueError):
    pass


def ensure_schema(path: Path) -> None:
    db = connect(path)
    if "drafts" not in db.table_names():
        db["drafts"].create(
            {"id": int, "kind": str, "item_id": str, "content": str, "status": str, "author": str,
             "reviewer": str, "created_at": str, "updated_at": str},
            pk="id",
        )
        db["drafts"].create_index(["status", "kind"])
    db.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def create(path: Path, kind: str, item_id: str, content: dict | None, author: str) -> dict:
    """A new draft; `content` None means "delete this item"."""
    db = connect(path)
    try:
        with db.conn:
            cursor = db.execute(
                "INSERT INTO drafts (kind, item_id, content, status, author, created_at, updated_at) "
                "VALUES (?, ?, ?, 'draft', ?, ?, ?)",
                [kind, item_id, json.dumps(content, ensure_ascii=False) if content is not None else None, author,
                 _now(), _now()])
            audit.record(db, author, "draft", f"{kind}:{item_id}", draft=cursor.lastrowid)
            draft_id = cursor.lastrowid
    finally:
        db.close()
    return get(path, draft_id)


def _drafts(path: Path, where: str, args: list) -> list[dict]:
    """Drafts matching `where`, newest first, their content decoded."""
    db = connect(path)
    try:
        rows = list(db.execute_returning_dicts(f"SELECT * FROM drafts {where} ORDER BY id DESC LIMIT 500", args))
    finally:
        db.close()
    for row in rows:
        row["content"] = json.loads(row["content"]) if row["content"] else None
    return rows


def get(path: Path, draft_id: int) -> dict | None:
    rows = _drafts(path, "WHERE id = ?", [draft_id])
    return rows[0] if rows else None


def listing(path: Path, status: str | None = None) -> list[dict]:
    return _drafts(path, *(("WHERE status = ?", [status]) if status else ("", [])))


def move(path: Path, draft_id: int, action: str, actor: str, apply=None) -> dict:
    """submit | publish | reject. `apply(draft)` makes a published draft
    live; if it raises, nothing changes."""
    draft = get(path, draft_id)
    if draft is None:
        raise WorkflowError("no such draft")
    before, after = _NEXT[action]
    if draft["status"] != before:
        raise WorkflowError(f"a draft that is {draft['status']} cannot be {action}ed (it must be {before})")
    if action == "submit" and actor != draft["author"]:
        raise WorkflowError("only the author submits a draft")
    if apply is not None:
        apply(draft)
    db = connect(path)
    try:
        with db.conn:
            db.execute("UPDATE drafts SET status = ?, reviewer = ?, updated_at = ? WHERE id = ?",
                       [after, actor if action != "submit" else None, _now(), draft_id])
            audit.record(db, actor, action, f"{draft['kind']}:{draft['item_id']}", draft=draft_id)
    finally:
        db.close()
    return get(path, draft_id)
