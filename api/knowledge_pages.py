"""Web pages for NGO editors: the translation status table, the review
queue, editing a topic in one language (next to the English), versions
with their diffs and restore, country notes, import and export.

Plain HTML forms over the same functions as the JSON API
(api/knowledge_editing.py, api/drafts.py); role `editor` or `admin`.
"""
from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api import accounts, audit, workflow
from api.console import _render
from api.deps import SettingsDep
from api.drafts import move
from api.staff_auth import page
from directory.transfer import ImportRejected
from knowledge import edits, transfer
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_name, text_direction

EditorPage = Annotated[accounts.Session, Depends(page("editor"))]
pages = APIRouter(prefix="/console/knowledge", tags=["knowledge pages"], include_in_schema=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _overview(request, session, settings, message: str = "", problems=None, status_code: int = 200):
    db = settings.knowledge_db
    titles = {t["id"]: (edits.current_text(db, t["id"], DEFAULT_LANGUAGE) or {}).get("title") for t in edits.topics(db)}
    queue = [d for d in workflow.listing(settings.app_db) if d["status"] in ("draft", "in_review")]
    response = _render(request, "console/knowledge.html", session, status=edits.translation_status(db),
                       titles=titles, languages=SUPPORTED_LANGUAGES, queue=queue, message=message, problems=problems)
    response.status_code = status_code
    return response


def _edit_page(request, session, settings, topic_id: str, lang: str, text=None, errors=None, status_code=200):
    db = settings.knowledge_db
    if lang not in SUPPORTED_LANGUAGES or not any(t["id"] == topic_id for t in edits.topics(db)):
        raise HTTPException(404, "No such topic or language.")
    response = _render(request, "console/knowledge_text.html", session, topic_id=topic_id, lang=lang,
                       language=language_name(lang), dir=text_direction(lang),
                       text=text or edits.current_text(db, topic_id, lang),
                       english=edits.current_text(db, topic_id, DEFAULT_LANGUAGE),
                       status=edits.translation_status(db)[topic_id][lang],
                       versions=edits.versions(db, f"text:{topic_id}:{lang}"),
                       notes=[n for n in edits.notes(db, topic_id) if n["lang"] == lang], errors=errors)
    response.status_code = status_code
    return response


@pages.get("", response_class=HTMLResponse)
async def overview(request: Request, session: EditorPage, settings: SettingsDep, message: str = ""):
    return _overview(request, session, settings, message)


@pages.get("/topics/{topic_id}/{lang}", response_class=HTMLResponse)
async def edit_form(request: Request, topic_id: str, lang: str, session: EditorPage, settings: SettingsDep):
    return _edit_page(request, session, settings, topic_id, lang)


@pages.post("/topics/{topic_id}/{lang}")
async def save_draft(request: Request, topic_id: str, lang: str, session: EditorPage, settings: SettingsDep,
                     title: str = Form(""), short: str = Form(""), answer: str = Form(""), steps: str = Form(""),
                     questions: str = Form(""), reviewed: str = Form(""), submit: str = Form("")):
    """Save a draft (and submit it for review when asked)."""
    text = {"title": title, "short": short, "answer": answer, "steps": _lines(steps),
            "questions": _lines(questions), "reviewed": reviewed == "yes"}
    try:
        clean = edits.check_text(text, lang)
    except edits.Invalid as exc:
        return _edit_page(request, session, settings, topic_id, lang, text=text, errors=exc.reasons, status_code=422)
    english = edits.current_text(settings.knowledge_db, topic_id, DEFAULT_LANGUAGE)
    if lang != DEFAULT_LANGUAGE and english is not None:
        clean["source_digest"] = english["source_digest"]
    draft = workflow.create(settings.app_db, "text", f"{topic_id}:{lang}", clean, session.user.username)
    if submit:
        workflow.move(settings.app_db, draft["id"], "submit", session.user.username)
    return RedirectResponse(f"/console/knowledge?message=Draft+{draft['id']}+saved", status_code=303)


@pages.post("/topics/{topic_id}/{lang}/notes")
async def save_note(topic_id: str, lang: str, session: EditorPage, settings: SettingsDep,
                    country: str = Form(""), text: str = Form(""), source_url: str = Form("")):
    try:
        if not edits.COUNTRY.match(country.strip().upper()):
            raise edits.Invalid(["country must be a two-letter ISO code such as AE or ES"])
        clean = edits.check_note({"text": text, "source_url": source_url.strip()})
    except edits.Invalid as exc:
        raise HTTPException(422, "; ".join(exc.reasons)) from None
    draft = workflow.create(settings.app_db, "note", f"{topic_id}:{country.strip().upper()}:{lang}", clean,
                            session.user.username)
    return RedirectResponse(f"/console/knowledge?message=Draft+{draft['id']}+saved", status_code=303)


@pages.post("/topics/{topic_id}/{lang}/restore/{version_id}")
async def restore(topic_id: str, lang: str, version_id: int, session: EditorPage, settings: SettingsDep):
    version = next((v for v in edits.versions(settings.knowledge_db, f"text:{topic_id}:{lang}")
                    if v["id"] == version_id), None)
    if version is None or version["content"] is None:
        raise HTTPException(404, "No such version.")
    content = dict(version["content"])
    source = content.pop("source_digest", None)
    await asyncio.to_thread(edits.save_text, settings.knowledge_db, topic_id, lang, content, session.user.username,
                            source_digest=source, action="restore")
    audit.log(settings.app_db, session.user.username, "knowledge_restore", f"text:{topic_id}:{lang}", version=version_id)
    return RedirectResponse(f"/console/knowledge/topics/{topic_id}/{lang}", status_code=303)


@pages.post("/drafts/{draft_id}/{action}")
async def move_draft(draft_id: int, action: str, session: EditorPage, settings: SettingsDep):
    if action not in ("submit", "publish", "reject"):
        raise HTTPException(404, "No such action.")
    result = await asyncio.to_thread(move, settings, draft_id, action, session.user.username)
    if not isinstance(result, dict):  # a refusal (JSON with reasons)
        return result
    return RedirectResponse(f"/console/knowledge?message=Draft+{draft_id}+{result['status']}", status_code=303)


@pages.post("/import")
async def import_file(request: Request, session: EditorPage, settings: SettingsDep,
                      file: Annotated[UploadFile, File()]):
    raw = await file.read()
    name = (file.filename or "").lower()
    try:
        body = raw.decode("utf-8-sig")
        rows = transfer.read_csv(body) if name.endswith(".csv") else transfer.read_yaml(body)
        count = await asyncio.to_thread(transfer.import_rows, settings.knowledge_db, rows, session.user.username)
    except UnicodeDecodeError:
        raise HTTPException(400, "The file must be UTF-8 text.") from None
    except ImportRejected as exc:
        return _overview(request, session, settings, "Nothing was imported.", exc.problems, status_code=422)
    audit.log(settings.app_db, session.user.username, "knowledge_import", "knowledge", rows=len(rows), changed=count)
    return RedirectResponse(f"/console/knowledge?message={len(rows)}+rows+read,+{count}+texts+changed",
                            status_code=303)
