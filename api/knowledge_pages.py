"""Web pages for NGO editors: the translation status table, the review
queue, creating a topic and changing what it says it rests on, editing it
in one language (next to the English), country notes, versions of each
with their diffs and restore, import and export.

Plain HTML forms over the same functions as the JSON API
(api/knowledge_editing.py, api/drafts.py); role `editor` or `admin`.
"""
from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api import accounts, audit, console_text, drafts, workflow
from api.console import _render
from api.deps import SettingsDep
from api.drafts import apply_move
from api.knowledge_editing import restore_logged, topic_or_404
from api.staff_auth import page
from directory.transfer import ImportRejected
from knowledge import edits, readability, transfer
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_name, text_direction

EditorPage = Annotated[accounts.Session, Depends(page("editor"))]
pages = APIRouter(prefix="/console/knowledge", tags=["knowledge pages"], include_in_schema=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _title(db, topic_id: str, lang: str) -> str | None:
    """The topic's title in `lang` (the console's), else in English."""
    text = edits.current_text(db, topic_id, lang) or edits.current_text(db, topic_id, DEFAULT_LANGUAGE)
    return (text or {}).get("title")


def _overview(request, session, settings, message: str = "", problems=None, status_code: int = 200):
    db = settings.knowledge_db
    lang = console_text.for_request(request).lang
    titles = {t["id"]: _title(db, t["id"], lang) for t in edits.topics(db)}
    queue = [d for d in workflow.listing(settings.app_db) if d["status"] in ("draft", "in_review")]
    response = _render(request, "console/knowledge.html", session, status=edits.translation_status(db),
                       titles=titles, languages=SUPPORTED_LANGUAGES, queue=queue, message=message, problems=problems,
                       categories=edits.SERVICE_CATEGORIES, kinds=edits.KINDS)
    response.status_code = status_code
    return response


def _edit_page(request, session, settings, topic_id: str, lang: str, text=None, errors=None, status_code=200):
    db = settings.knowledge_db
    if lang not in SUPPORTED_LANGUAGES or not any(t["id"] == topic_id for t in edits.topics(db)):
        raise HTTPException(404, "No such topic or language.")
    text = text or edits.current_text(db, topic_id, lang)
    reading = readability.grade(text["answer"]) if lang == DEFAULT_LANGUAGE and text and text.get("answer") else None
    response = _render(request, "console/knowledge_text.html", session, topic_id=topic_id, text_lang=lang,
                       language=language_name(lang), text_dir=text_direction(lang), text=text,
                       reading=reading, target_grade=readability.TARGET_GRADE,
                       english=edits.current_text(db, topic_id, DEFAULT_LANGUAGE),
                       status=edits.translation_status(db)[topic_id][lang],
                       versions=edits.versions(db, f"text:{topic_id}:{lang}"),
                       notes=[n for n in edits.notes(db, topic_id) if n["lang"] == lang], errors=errors)
    response.status_code = status_code
    return response


_DONE = ("saved", "in_review", "published", "rejected", "imported_texts")  # what a redirect here may say


def _done(notice: str, **values) -> RedirectResponse:
    """Back to the overview, which says what happened in the editor's language."""
    return RedirectResponse(f"/console/knowledge?{urlencode({'done': notice, **values})}", status_code=303)


def _notice(request: Request, key: str, **values) -> str:
    return console_text.for_request(request).notice(key, **values)


@pages.get("", response_class=HTMLResponse)
async def overview(request: Request, session: EditorPage, settings: SettingsDep, done: str = "",
                   draft: int = 0, rows: int = 0, changed: int = 0):
    message = _notice(request, done, draft=draft, rows=rows, changed=changed) if done in _DONE else ""
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
    return _done("saved", draft=draft["id"])


@pages.post("/topics/{topic_id}/{lang}/notes")
async def save_note(request: Request, topic_id: str, lang: str, session: EditorPage, settings: SettingsDep,
                    country: str = Form(""), text: str = Form(""), source_url: str = Form("")):
    try:
        if not edits.COUNTRY.match(country.strip().upper()):
            raise edits.Invalid([edits.COUNTRY_REASON])
        clean = edits.check_note({"text": text, "source_url": source_url.strip()})
    except edits.Invalid as exc:
        return _edit_page(request, session, settings, topic_id, lang, errors=exc.reasons, status_code=422)
    draft = workflow.create(settings.app_db, "note", f"{topic_id}:{country.strip().upper()}:{lang}", clean,
                            session.user.username)
    return _done("saved", draft=draft["id"])


@pages.post("/topics/{topic_id}/notes/{country}/{lang}/delete")
async def delete_note(topic_id: str, country: str, lang: str, session: EditorPage, settings: SettingsDep):
    """A draft that deletes the note once published (it can be restored)."""
    if not any(n["country"] == country and n["lang"] == lang for n in edits.notes(settings.knowledge_db, topic_id)):
        raise HTTPException(404, "No such note.")
    draft = workflow.create(settings.app_db, "note", f"{topic_id}:{country}:{lang}", None, session.user.username)
    return _done("saved", draft=draft["id"])


@pages.post("/versions/{version_id}/restore")
async def restore(request: Request, version_id: int, session: EditorPage, settings: SettingsDep):
    """Any earlier version of a text, a topic or a country note becomes the
    current one; back to the page it is shown on."""
    try:
        item = await restore_logged(settings, session.user.username, version_id)
    except edits.Invalid as exc:
        return _refused(request, session, settings, exc)
    kind, parts = edits.parse_item(item)
    back = "/".join(parts[:2]) if kind == "text" else parts[0]  # a text's page, or its topic's
    return RedirectResponse(f"/console/knowledge/topics/{back}", status_code=303)


@pages.get("/topics/{topic_id}", response_class=HTMLResponse)
async def topic_page(request: Request, topic_id: str, session: EditorPage, settings: SettingsDep):
    return _topic_page(request, session, settings, topic_id)


@pages.post("/topics")
async def new_topic(request: Request, session: EditorPage, settings: SettingsDep, topic_id: str = Form(""),
                    kind: str = Form(""), applies_to: str = Form(""), sources: str = Form(""),
                    services: Annotated[list[str] | None, Form()] = None):
    """A draft of a new topic; once published, write its texts."""
    topic_id = topic_id.strip()
    if any(t["id"] == topic_id for t in edits.topics(settings.knowledge_db)):
        return _overview(request, session, settings, problems=None, status_code=422,
                         message=_notice(request, "topic_exists", topic=topic_id))
    return _draft_topic(request, session, settings, topic_id, kind, applies_to, sources, services, new=True)


@pages.post("/topics/{topic_id}")
async def change_topic(request: Request, topic_id: str, session: EditorPage, settings: SettingsDep,
                       kind: str = Form(""), applies_to: str = Form(""), sources: str = Form(""),
                       services: Annotated[list[str] | None, Form()] = None):
    topic_or_404(settings, topic_id)
    return _draft_topic(request, session, settings, topic_id, kind, applies_to, sources, services, new=False)


def _draft_topic(request, session, settings, topic_id, kind, applies_to, sources, services, new: bool):
    topic = {"kind": kind, "applies_to": applies_to.strip(), "sources": _lines(sources), "services": services or []}
    try:
        if not edits.TOPIC_ID.match(topic_id):
            raise edits.Invalid([edits.TOPIC_ID_REASON])
        clean = edits.check_topic(topic)
    except edits.Invalid as exc:
        if new:
            return _refused(request, session, settings, exc)
        return _topic_page(request, session, settings, topic_id, topic=topic, errors=exc.reasons, status_code=422)
    draft = workflow.create(settings.app_db, "topic", topic_id, clean, session.user.username)
    return _done("saved", draft=draft["id"])


def _topic_page(request, session, settings, topic_id: str, topic=None, errors=None, status_code=200):
    db = settings.knowledge_db
    current = topic_or_404(settings, topic_id)
    notes = [{**n, "dir": text_direction(n["lang"])} for n in edits.note_history(db, topic_id)]
    response = _render(request, "console/knowledge_topic.html", session, topic_id=topic_id,
                       topic=topic or current, title=_title(db, topic_id, console_text.for_request(request).lang),
                       status=edits.translation_status(db)[topic_id], languages=SUPPORTED_LANGUAGES,
                       categories=edits.SERVICE_CATEGORIES, kinds=edits.KINDS, notes=notes,
                       versions=edits.versions(db, f"topic:{topic_id}"), errors=errors)
    response.status_code = status_code
    return response


@pages.post("/drafts/{draft_id}/{action}")
async def move_draft(request: Request, draft_id: int, action: str, session: EditorPage, settings: SettingsDep):
    if action not in ("submit", "publish", "reject"):
        raise HTTPException(404, "No such action.")
    try:
        result = await asyncio.to_thread(apply_move, settings, draft_id, action, session.user.username)
    except ImportRejected as exc:  # a directory entry that no longer passes
        return _overview(request, session, settings, problems=exc.problems, status_code=422)
    except edits.Invalid as exc:
        return _refused(request, session, settings, exc)
    except workflow.WorkflowError as exc:
        raise HTTPException(409, str(exc)) from None
    return _done(result["status"], draft=draft_id)


def _refused(request, session, settings, exc: edits.Invalid):
    """The overview, saying why in the editor's language."""
    reasons = console_text.for_request(request).reasons(exc.reasons)
    return _overview(request, session, settings, _notice(request, "not_saved", reasons=reasons), status_code=422)


@pages.post("/import")
async def import_file(request: Request, session: EditorPage, settings: SettingsDep,
                      file: Annotated[UploadFile, File()]):
    body = drafts.upload_text(await file.read())
    name = (file.filename or "").lower()
    try:
        rows = transfer.read_csv(body) if name.endswith(".csv") else transfer.read_yaml(body)
        count = await asyncio.to_thread(transfer.import_rows, settings.knowledge_db, rows, session.user.username)
    except ImportRejected as exc:
        return _overview(request, session, settings, problems=exc.problems, status_code=422)  # the box says it
    audit.log(settings.app_db, session.user.username, "knowledge_import", "knowledge", rows=len(rows), changed=count)
    return _done("imported_texts", rows=len(rows), changed=count)
