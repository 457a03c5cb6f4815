"""NGO editors change the help directory and the danger phrases through
this API (role `editor` or `admin`): no code, no retraining, no restart.

An entry is changed through the workflow (api/workflow.py): saved as a
checked draft, submitted, then published, and live from the next answer.
Every publish is a version in the directory database (who, when, what) and
every step a line in the audit log; import is all-or-nothing.
"""
from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field, StrictStr

from api import accounts, audit, drafts, workflow
from api.deps import SettingsDep
from api.staff_auth import api as staff_api
from directory import schema, transfer

EditorApi = Annotated[accounts.Session, Depends(staff_api("editor"))]
router = APIRouter(prefix="/api/v1/directory", tags=["directory editing"])
MAX_IMPORT_BYTES = 2 * 1024 * 1024



_rejected = drafts.rejected


@router.get("/services")
async def list_services(session: EditorApi, settings: SettingsDep, country: str | None = None,
                        category: str | None = None):
    entries = transfer.export_entries(settings.directory_db)
    return [e for e in entries if (not country or e["country"] == country.upper())
            and (not category or e["category"] == category)]


@router.get("/services/{service_id}")
async def get_service(service_id: str, session: EditorApi, settings: SettingsDep):
    entry = next((e for e in transfer.export_entries(settings.directory_db) if e["id"] == service_id), None)
    if entry is None:
        raise HTTPException(404, "No such service.")
    return {"entry": entry, "versions": transfer.versions(settings.directory_db, service_id)}


@router.put("/services/{service_id}", status_code=201)
async def draft_service(service_id: str, session: EditorApi, settings: SettingsDep, entry: Annotated[dict, Body()]):
    """Save a draft of one entry (the fields of directory/FORMAT.md); it is
    checked now and goes live when published."""
    if entry.get("id", service_id) != service_id:
        raise HTTPException(422, "The id in the body differs from the id in the path.")
    try:
        transfer.check_all([(1, {**entry, "id": service_id})])
    except transfer.ImportRejected as exc:
        return _rejected(exc)
    return workflow.create(settings.app_db, "service", service_id, {**entry, "id": service_id}, session.user.username)


@router.delete("/services/{service_id}", status_code=201)
async def draft_deletion(service_id: str, session: EditorApi, settings: SettingsDep):
    """A draft that deletes the entry when published."""
    if not any(e["id"] == service_id for e in transfer.export_entries(settings.directory_db)):
        raise HTTPException(404, "No such service.")
    return workflow.create(settings.app_db, "service", service_id, None, session.user.username)


@router.get("/drafts")
async def list_drafts(session: EditorApi, settings: SettingsDep, status: str | None = None):
    return workflow.listing(settings.app_db, status)


@router.post("/drafts/{draft_id}/{action}")
async def move_draft(draft_id: int, action: Literal["submit", "publish", "reject"], session: EditorApi,
                     settings: SettingsDep):
    """The same as /api/v1/drafts/{id}/{action} (kept for existing clients)."""
    return await asyncio.to_thread(drafts.move, settings, draft_id, action, session.user.username)


def _apply_service(settings, draft: dict, actor: str) -> None:
    if draft["content"] is None:
        transfer.delete_service(settings.directory_db, draft["item_id"], actor)
    else:
        transfer.save_service(settings.directory_db, draft["content"], actor)


drafts.register("service", _apply_service)


@router.post("/services/{service_id}/restore/{version_id}")
async def restore_service(service_id: str, version_id: int, session: EditorApi, settings: SettingsDep):
    """Make an earlier version the current one (itself a new version)."""
    version = next((v for v in transfer.versions(settings.directory_db, service_id) if v["id"] == version_id), None)
    if version is None or version["entry"] is None:
        raise HTTPException(404, "No such version with content.")
    try:
        saved = transfer.save_service(settings.directory_db, version["entry"], session.user.username)
    except transfer.ImportRejected as exc:
        return _rejected(exc)
    audit.log(settings.app_db, session.user.username, "directory_restore", f"service:{service_id}", version=version_id)
    return saved


@router.post("/import")
async def import_services(request: Request, session: EditorApi, settings: SettingsDep,
                          format: Literal["yaml", "csv"] = "yaml", replace: bool = False):
    """Import a YAML or CSV file (the raw request body): every row checked,
    every bad row reported with its line, nothing written unless all are good."""
    body = drafts.upload_text(await request.body(), MAX_IMPORT_BYTES, encoding="utf-8")
    try:
        entries = transfer.read_yaml(body) if format == "yaml" else transfer.read_csv(body)
        count = transfer.import_services(settings.directory_db, entries, replace=replace,
                                         author=session.user.username)
    except transfer.ImportRejected as exc:
        return _rejected(exc)
    audit.log(settings.app_db, session.user.username, "directory_import", "directory", rows=count, replace=replace)
    return {"imported": count}


@router.get("/export", response_class=PlainTextResponse)
async def export_services(session: EditorApi, settings: SettingsDep, format: Literal["yaml", "csv"] = "yaml"):
    entries = transfer.export_entries(settings.directory_db)
    text = transfer.to_yaml(entries) if format == "yaml" else transfer.to_csv(entries)
    return PlainTextResponse(text, media_type="text/csv" if format == "csv" else "application/yaml")


class Phrase(BaseModel):
    lang: Literal["en", "es", "fr", "ar", "tl", "id"]
    kind: Literal["danger", "harmless", "sensitive"]
    phrase: StrictStr = Field(..., min_length=2, max_length=120)


@router.get("/danger-phrases")
async def list_phrases(session: EditorApi, settings: SettingsDep, lang: str | None = None):
    db = schema.connect(settings.directory_db)
    try:
        where, args = ("WHERE lang = ?", [lang]) if lang else ("", [])
        return list(db.execute_returning_dicts(f"SELECT * FROM danger_phrases {where} ORDER BY lang, kind, phrase", args))
    finally:
        db.close()


@router.post("/danger-phrases", status_code=201)
async def add_phrase(item: Phrase, session: EditorApi, settings: SettingsDep):
    """Add a phrase; it takes effect with the next message."""
    db = schema.connect(settings.directory_db)
    try:
        with db.conn:
            db.execute("INSERT OR IGNORE INTO danger_phrases (lang, kind, phrase) VALUES (?, ?, ?)",
                       [item.lang, item.kind, item.phrase.strip()])
            db.execute("DELETE FROM removed_phrases WHERE lang = ? AND kind = ? AND phrase = ?",
                       [item.lang, item.kind, item.phrase.strip()])
            schema.bump_revision(db)
    finally:
        db.close()
    audit.log(settings.app_db, session.user.username, "phrase_add", f"phrases:{item.lang}", kind=item.kind, phrase=item.phrase)
    return item


@router.delete("/danger-phrases/{phrase_id}")
async def delete_phrase(phrase_id: int, session: EditorApi, settings: SettingsDep):
    db = schema.connect(settings.directory_db)
    try:
        with db.conn:
            db.execute("INSERT OR IGNORE INTO removed_phrases (lang, kind, phrase) "
                       "SELECT lang, kind, phrase FROM danger_phrases WHERE id = ?", [phrase_id])
            gone = db.execute("DELETE FROM danger_phrases WHERE id = ?", [phrase_id]).rowcount
            schema.bump_revision(db)
    finally:
        db.close()
    if not gone:
        raise HTTPException(404, "No such phrase.")
    audit.log(settings.app_db, session.user.username, "phrase_delete", "phrases", id=phrase_id)
    return {"deleted": phrase_id}
