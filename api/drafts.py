"""One review queue for every kind of NGO content: directory entries,
topic texts, country notes, topics.

Each editing module registers how a published draft of its kind goes live
(`register`); this module moves drafts through the workflow
(api/workflow.py) and answers the API. An operator cannot reach it: the
role `editor` (or `admin`) is required.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse

from api import accounts, workflow
from api.deps import SettingsDep
from api.settings import Settings
from api.staff_auth import api as staff_api
from directory.transfer import ImportRejected
from knowledge.edits import Invalid

EditorApi = Annotated[accounts.Session, Depends(staff_api("editor"))]
router = APIRouter(prefix="/api/v1/drafts", tags=["editing workflow"])
# kind -> apply(settings, draft, actor): makes a published draft live or raises.
_APPLY: dict[str, Callable[[Settings, dict, str], None]] = {}


def register(kind: str, apply: Callable[[Settings, dict, str], None]) -> None:
    _APPLY[kind] = apply


def rejected(exc: ImportRejected) -> JSONResponse:
    return JSONResponse(status_code=422, content={
        "error": "invalid_entries", "message": f"{len(exc.problems)} bad row(s); nothing was written.",
        "problems": [{"line": p.line, "id": p.id, "reasons": p.reasons} for p in exc.problems],
    })


def upload_text(raw: bytes, max_bytes: int | None = None, encoding: str = "utf-8-sig") -> str:
    """An imported file's text, or the 413/400 that says why not (every
    import, API and pages, knowledge base and directory)."""
    if max_bytes is not None and len(raw) > max_bytes:
        raise HTTPException(413, f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise HTTPException(400, "The file must be UTF-8 text.") from None


def invalid(exc: Invalid) -> JSONResponse:
    return JSONResponse(status_code=422, content={"error": "invalid", "message": str(exc), "reasons": exc.reasons})


def apply_move(settings: Settings, draft_id: int, action: str, actor: str) -> dict:
    """submit (the author), then publish or reject (an editor or admin).
    Raises what refuses it; `move` says it as JSON, the pages in words."""
    def apply(draft: dict) -> None:
        if draft["kind"] not in _APPLY:
            raise workflow.WorkflowError(f"unknown kind {draft['kind']!r}")
        _APPLY[draft["kind"]](settings, draft, actor)

    return workflow.move(settings.app_db, draft_id, action, actor, apply if action == "publish" else None)


def move(settings: Settings, draft_id: int, action: str, actor: str):
    try:
        return apply_move(settings, draft_id, action, actor)
    except ImportRejected as exc:
        return rejected(exc)
    except Invalid as exc:
        return invalid(exc)
    except workflow.WorkflowError as exc:
        raise HTTPException(409, str(exc)) from None


@router.get("")
async def list_drafts(session: EditorApi, settings: SettingsDep, status: str | None = None, kind: str | None = None):
    return [d for d in workflow.listing(settings.app_db, status) if not kind or d["kind"] == kind]


@router.get("/{draft_id}")
async def get_draft(draft_id: int, session: EditorApi, settings: SettingsDep):
    draft = workflow.get(settings.app_db, draft_id)
    if draft is None:
        raise HTTPException(404, "No such draft.")
    return draft


@router.post("/{draft_id}/{action}")
async def move_draft(draft_id: int, action: Literal["submit", "publish", "reject"], session: EditorApi,
                     settings: SettingsDep):
    # Publishing computes search vectors: off the event loop.
    return await asyncio.to_thread(move, settings, draft_id, action, session.user.username)
