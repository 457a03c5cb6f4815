"""Web pages for NGO editors to keep the help directory current: the list of
entries, one entry as YAML (the fields of directory/FORMAT.md) with its
versions, diffs and restore, import and export.

Changes go through the same review queue as the knowledge base (shown on
/console/knowledge) and are live from the next answer once published.
"""
from __future__ import annotations

from typing import Annotated

import yaml
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api import audit, console_text, drafts, workflow
from api.console import _render
from api.deps import SettingsDep
from api.knowledge_pages import EditorPage
from directory import transfer
from locales.reasons import Reason, staff_

pages = APIRouter(prefix="/console/directory", tags=["directory pages"], include_in_schema=False)


def _entry_page(request, session, settings, service_id: str, source: str | None = None, problems=None,
                status_code: int = 200):
    entry = next((e for e in transfer.export_entries(settings.directory_db) if e["id"] == service_id), None)
    if source is None:
        source = yaml.safe_dump(entry or {"id": service_id}, allow_unicode=True, sort_keys=False, width=10**6)
    response = _render(request, "console/directory_entry.html", session, service_id=service_id, source=source,
                       exists=entry is not None, versions=transfer.versions(settings.directory_db, service_id),
                       problems=problems)
    response.status_code = status_code
    return response


@pages.get("", response_class=HTMLResponse)
async def listing(request: Request, session: EditorPage, settings: SettingsDep, done: str = "", count: int = 0):
    message = console_text.for_request(request).notice(done, count=count) if done == "imported_entries" else ""
    entries = transfer.export_entries(settings.directory_db)
    return _render(request, "console/directory.html", session, entries=entries, message=message, problems=None)


@pages.get("/services/{service_id}", response_class=HTMLResponse)
async def entry_form(request: Request, service_id: str, session: EditorPage, settings: SettingsDep):
    return _entry_page(request, session, settings, service_id)


@pages.post("/services/{service_id}")
async def save_draft(request: Request, service_id: str, session: EditorPage, settings: SettingsDep,
                     source: str = Form("")):
    """The entry as YAML: checked now, saved as a draft and submitted."""
    try:
        entry = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        return _entry_page(request, session, settings, service_id, source,
                           [transfer.Problem(1, service_id, [Reason(staff_("not valid YAML: {error}"), error=str(exc))])], 422)
    if not isinstance(entry, dict) or entry.get("id", service_id) != service_id:
        return _entry_page(request, session, settings, service_id, source,
                           [transfer.Problem(1, service_id, [Reason(staff_("a mapping of fields whose id is this entry's"))])], 422)
    try:
        transfer.check_all([(1, {**entry, "id": service_id})])
    except transfer.ImportRejected as exc:
        return _entry_page(request, session, settings, service_id, source, exc.problems, 422)
    draft = workflow.create(settings.app_db, "service", service_id, {**entry, "id": service_id},
                            session.user.username)
    workflow.move(settings.app_db, draft["id"], "submit", session.user.username)
    return RedirectResponse(f"/console/knowledge?done=in_review&draft={draft['id']}", status_code=303)


@pages.post("/services/{service_id}/restore/{version_id}")
async def restore(service_id: str, version_id: int, session: EditorPage, settings: SettingsDep):
    version = next((v for v in transfer.versions(settings.directory_db, service_id) if v["id"] == version_id), None)
    if version is None or version["entry"] is None:
        raise HTTPException(404, "No such version.")
    transfer.save_service(settings.directory_db, version["entry"], session.user.username)
    audit.log(settings.app_db, session.user.username, "directory_restore", f"service:{service_id}", version=version_id)
    return RedirectResponse(f"/console/directory/services/{service_id}", status_code=303)


@pages.post("/import")
async def import_file(request: Request, session: EditorPage, settings: SettingsDep,
                      file: Annotated[UploadFile, File()]):
    body = drafts.upload_text(await file.read())
    try:
        entries = transfer.read_csv(body) if (file.filename or "").lower().endswith(".csv") else transfer.read_yaml(body)
        count = transfer.import_services(settings.directory_db, entries, author=session.user.username)
    except transfer.ImportRejected as exc:
        response = _render(request, "console/directory.html", session,
                           entries=transfer.export_entries(settings.directory_db),
                           message=console_text.for_request(request).notice("nothing_imported"),
                           problems=exc.problems)
        response.status_code = 422
        return response
    audit.log(settings.app_db, session.user.username, "directory_import", "directory", rows=count, replace=False)
    return RedirectResponse(f"/console/directory?done=imported_entries&count={count}", status_code=303)
