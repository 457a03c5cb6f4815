"""NGO editors change the knowledge base through this API (role `editor` or
`admin`): topics, their texts in every language, and country notes. No
code, no retraining, no restart: a published change answers the next
question.

Changes go through the shared workflow (api/drafts.py): a checked draft,
submitted, then published; every publish is a version with a diff, any
version can be restored, every step is in the audit log. Import is
all-or-nothing (knowledge/transfer.py).
"""
from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import PlainTextResponse

from api import accounts, audit, drafts, workflow
from api.deps import SettingsDep
from api.staff_auth import api as staff_api
from directory.transfer import ImportRejected
from knowledge import edits, transfer
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

EditorApi = Annotated[accounts.Session, Depends(staff_api("editor"))]
router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge editing"])
MAX_IMPORT_BYTES = 4 * 1024 * 1024
Lang = Literal["en", "es", "fr", "ar", "tl", "id"]
assert set(Lang.__args__) == set(SUPPORTED_LANGUAGES)


def topic_or_404(settings, topic_id: str) -> dict:
    topic = next((t for t in edits.topics(settings.knowledge_db) if t["id"] == topic_id), None)
    if topic is None:
        raise HTTPException(404, "No such topic.")
    return topic


def _draft(settings, session, kind: str, item_id: str, content: dict | None):
    return workflow.create(settings.app_db, kind, item_id, content, session.user.username)


@router.get("/topics")
async def list_topics(session: EditorApi, settings: SettingsDep):
    status = edits.translation_status(settings.knowledge_db)
    out = []
    for topic in edits.topics(settings.knowledge_db):
        english = edits.current_text(settings.knowledge_db, topic["id"], DEFAULT_LANGUAGE)
        out.append({**topic, "title": english["title"] if english else None, "translations": status[topic["id"]]})
    return out


@router.get("/status")
async def translation_status(session: EditorApi, settings: SettingsDep):
    """{topic: {lang: missing | outdated | current}}."""
    return edits.translation_status(settings.knowledge_db)


@router.get("/topics/{topic_id}")
async def get_topic(topic_id: str, session: EditorApi, settings: SettingsDep):
    topic = topic_or_404(settings, topic_id)
    texts = {lang: edits.current_text(settings.knowledge_db, topic_id, lang) for lang in SUPPORTED_LANGUAGES}
    return {"topic": topic, "texts": texts, "translations": edits.translation_status(settings.knowledge_db)[topic_id],
            "notes": edits.notes(settings.knowledge_db, topic_id)}


@router.put("/topics/{topic_id}", status_code=201)
async def draft_topic(topic_id: str, session: EditorApi, settings: SettingsDep, topic: Annotated[dict, Body()]):
    """Create or change a topic (kind, applies_to, sources, services)."""
    try:
        if not edits.TOPIC_ID.match(topic_id):
            raise edits.Invalid([edits.TOPIC_ID_REASON])
        clean = edits.check_topic(topic)
    except edits.Invalid as exc:
        return drafts.invalid(exc)
    return _draft(settings, session, "topic", topic_id, clean)


@router.put("/topics/{topic_id}/texts/{lang}", status_code=201)
async def draft_text(topic_id: str, lang: Lang, session: EditorApi, settings: SettingsDep,
                     text: Annotated[dict, Body()]):
    """A draft of the topic in one language. A translation records the
    English it was made from (the current one), for translation status."""
    topic_or_404(settings, topic_id)
    try:
        clean = edits.check_text(text, lang)
    except edits.Invalid as exc:
        return drafts.invalid(exc)
    english = edits.current_text(settings.knowledge_db, topic_id, DEFAULT_LANGUAGE)
    if lang != DEFAULT_LANGUAGE and english is not None:
        clean["source_digest"] = english["source_digest"]
    return _draft(settings, session, "text", f"{topic_id}:{lang}", clean)


@router.put("/topics/{topic_id}/notes/{country}/{lang}", status_code=201)
async def draft_note(topic_id: str, country: str, lang: Lang, session: EditorApi, settings: SettingsDep,
                     note: Annotated[dict, Body()]):
    """A note for one host country (ISO code), with its public source."""
    topic_or_404(settings, topic_id)
    try:
        if not edits.COUNTRY.match(country):
            raise edits.Invalid([edits.COUNTRY_REASON])
        clean = edits.check_note(note)
    except edits.Invalid as exc:
        return drafts.invalid(exc)
    return _draft(settings, session, "note", f"{topic_id}:{country}:{lang}", clean)


@router.delete("/topics/{topic_id}/notes/{country}/{lang}", status_code=201)
async def draft_note_deletion(topic_id: str, country: str, lang: Lang, session: EditorApi, settings: SettingsDep):
    if not any(n["country"] == country and n["lang"] == lang for n in edits.notes(settings.knowledge_db, topic_id)):
        raise HTTPException(404, "No such note.")
    return _draft(settings, session, "note", f"{topic_id}:{country}:{lang}", None)


@router.get("/topics/{topic_id}/texts/{lang}/versions")
async def text_versions(topic_id: str, lang: Lang, session: EditorApi, settings: SettingsDep):
    """Every published version, newest first, each with its diff."""
    topic_or_404(settings, topic_id)
    return edits.versions(settings.knowledge_db, f"text:{topic_id}:{lang}")


@router.get("/topics/{topic_id}/versions")
async def topic_versions(topic_id: str, session: EditorApi, settings: SettingsDep):
    """The topic's own versions (kind, who it applies to, sources, help)."""
    topic_or_404(settings, topic_id)
    return edits.versions(settings.knowledge_db, f"topic:{topic_id}")


@router.get("/topics/{topic_id}/notes/{country}/{lang}/versions")
async def note_versions(topic_id: str, country: str, lang: Lang, session: EditorApi, settings: SettingsDep):
    topic_or_404(settings, topic_id)
    return edits.versions(settings.knowledge_db, f"note:{topic_id}:{country}:{lang}")


@router.post("/topics/{topic_id}/texts/{lang}/restore/{version_id}")
async def restore_text(topic_id: str, lang: Lang, version_id: int, session: EditorApi, settings: SettingsDep):
    """Make an earlier version of this text the current one (itself a new version)."""
    refused = await _restore(settings, session, version_id, expected=f"text:{topic_id}:{lang}")
    return refused or edits.current_text(settings.knowledge_db, topic_id, lang)


@router.post("/versions/{version_id}/restore")
async def restore_version(version_id: int, session: EditorApi, settings: SettingsDep):
    """Make any earlier version (of a text, a topic or a country note) the
    current one; restoring a note's deletion deletes it again."""
    refused = await _restore(settings, session, version_id)
    return refused or {"item": edits.version_by_id(settings.knowledge_db, version_id)["item"],
                       "restored": version_id}


async def _restore(settings, session, version_id: int, expected: str | None = None):
    """None when done, else the refusal to return."""
    try:
        await restore_logged(settings, session.user.username, version_id, expected)
    except edits.Invalid as exc:
        return drafts.invalid(exc)
    return None


async def restore_logged(settings, actor: str, version_id: int, expected: str | None = None) -> str:
    """Restore a version (of `expected`, when given) and audit it; the item
    restored. 404 for an unknown version; edits.Invalid if it cannot be.
    The API and the pages both restore through here."""
    version = edits.version_by_id(settings.knowledge_db, version_id)
    if version is None or (expected is not None and version["item"] != expected):
        raise HTTPException(404, "No such version.")
    item = await asyncio.to_thread(edits.restore, settings.knowledge_db, version_id, actor)
    audit.log(settings.app_db, actor, "knowledge_restore", item, version=version_id)
    return item


@router.post("/import")
async def import_texts(request: Request, session: EditorApi, settings: SettingsDep,
                       format: Literal["yaml", "csv"] = "yaml"):
    """A YAML or CSV file (the raw request body), one row per topic and
    language: every row checked, every bad row reported with its line,
    nothing written unless all are good."""
    body = drafts.upload_text(await request.body(), MAX_IMPORT_BYTES)
    try:
        rows = transfer.read_yaml(body) if format == "yaml" else transfer.read_csv(body)
        count = await asyncio.to_thread(transfer.import_rows, settings.knowledge_db, rows, session.user.username)
    except ImportRejected as exc:
        return drafts.rejected(exc)
    audit.log(settings.app_db, session.user.username, "knowledge_import", "knowledge", rows=len(rows), changed=count)
    return {"rows": len(rows), "changed": count}


@router.get("/export", response_class=PlainTextResponse)
async def export_texts(session: EditorApi, settings: SettingsDep, format: Literal["yaml", "csv"] = "yaml"):
    rows = transfer.export_rows(settings.knowledge_db)
    text = transfer.to_yaml(rows) if format == "yaml" else transfer.to_csv(rows)
    return PlainTextResponse(text, media_type="text/csv" if format == "csv" else "application/yaml",
                             headers={"content-disposition": f'attachment; filename="knowledge.{format}"'})



def _apply_text(settings, draft: dict, actor: str) -> None:
    topic_id, lang = draft["item_id"].rsplit(":", 1)
    content = dict(draft["content"])
    source = content.pop("source_digest", None)
    edits.save_text(settings.knowledge_db, topic_id, lang, content, actor, source_digest=source)


def _apply_note(settings, draft: dict, actor: str) -> None:
    topic_id, country, lang = draft["item_id"].split(":")
    edits.save_note(settings.knowledge_db, topic_id, country, lang, draft["content"], actor)


def _apply_topic(settings, draft: dict, actor: str) -> None:
    edits.save_topic(settings.knowledge_db, draft["item_id"], draft["content"], actor)


drafts.register("text", _apply_text)
drafts.register("note", _apply_note)
drafts.register("topic", _apply_topic)
