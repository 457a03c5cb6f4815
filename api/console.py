"""The operator console: sign-in, queue, conversation view, replies, notes,
tags, taking and handing back, accounts (admin) and erasure (admin).

Pages under /console, the same actions as JSON under /api/v1/console.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from babel.dates import format_datetime
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, StrictStr
from starlette.routing import Match

from api import accounts, audit, console_text, handoff, retention, sms_outbox
from api.appdb import connect
from api.canned import canned_replies
from api.deps import AssistantDep, SettingsDep
from api.staff_auth import (
    COOKIE,
    AdminApi,
    AdminPage,
    AnyStaffPage,
    OperatorApi,
    OperatorPage,
    cookie_args,
    staff_api,
)
from locales import SUPPORTED_LANGUAGES

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
pages = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/console", tags=["console"])
MAX_REPLY = 1000


def _when(iso: str | None, locale: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "medium", locale=locale) if iso else ""


def _here(request: Request) -> str:
    """Where the language menu comes back to: this page; for a page shown in
    answer to a form, the same address if it opens, else its section."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    scope = {**request.scope, "method": "GET"}
    if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
        return request.url.path
    return "/".join(request.url.path.split("/")[:3])  # e.g. /console/knowledge


def _render(request: Request, name: str, session: accounts.Session | None, **context) -> HTMLResponse:
    text = console_text.for_request(request)
    return templates.TemplateResponse(request, name, {
        **text.context(), "session": session, "when": lambda iso: _when(iso, text.lang), "here": _here(request),
        **context,
    })


# --- sign-in -----------------------------------------------------------------

def _safe_next(value: str) -> str:
    """Only a console page of this site: never an open redirect."""
    return value if value.startswith("/console") and "//" not in value and "\\" not in value else ""


@pages.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = ""):
    return _render(request, "console/login.html", None, error=None, next=_safe_next(next))


@pages.post("/login")
async def login(request: Request, settings: SettingsDep, username: str = Form(""), password: str = Form(""),
                next: str = Form("")):
    throttle: accounts.LoginThrottle = request.app.state.login_throttle
    keys = (f"user:{username.strip().lower()}", f"ip:{request.client.host if request.client else '-'}")
    if throttle.blocked(*keys):
        response = _render(request, "console/login.html", None, next=_safe_next(next),
                           error=console_text.for_request(request).notice("login_throttled"))
        response.status_code = 429
        return response
    user = accounts.authenticate(settings.app_db, username, password)
    if user is None:
        throttle.failed(*keys)
        response = _render(request, "console/login.html", None, next=_safe_next(next),
                           error=console_text.for_request(request).notice("login_wrong"))
        response.status_code = 401
        return response
    throttle.succeeded(*keys)
    session = accounts.start_session(settings.app_db, user)
    db = connect(settings.app_db)
    with db.conn:
        audit.record(db, user.username, "sign_in", f"user:{user.username}")
    db.close()
    home = "/console/knowledge" if user.role == "editor" else "/console"
    response = RedirectResponse(_safe_next(next) or home, status_code=303)
    response.set_cookie(COOKIE, session.id, max_age=accounts.SESSION_HOURS * 3600, **cookie_args(request, settings))
    return response


@pages.get("/language/{lang}")
async def choose_language(request: Request, lang: str, settings: SettingsDep, next: str = ""):
    """The console's language, kept in a cookie for a year (no sign-in needed:
    the sign-in page is translated too)."""
    if lang not in SUPPORTED_LANGUAGES:
        raise HTTPException(404, "No such language.")
    response = RedirectResponse(_safe_next(next) or "/console", status_code=303)
    # A preference, not a credential: sent on arrival from a link elsewhere too.
    response.set_cookie(console_text.COOKIE, lang, max_age=365 * 24 * 3600,
                        **{**cookie_args(request, settings), "httponly": False, "samesite": "lax"})
    return response


@pages.post("/logout")
async def logout(session: AnyStaffPage, settings: SettingsDep):
    accounts.end_session(settings.app_db, session.id)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# --- queue and conversations ---------------------------------------------------

@pages.get("", response_class=HTMLResponse)
async def queue_page(request: Request, session: OperatorPage, settings: SettingsDep,
                     language: str | None = None, channel: str | None = None, status: str | None = None):
    queue = handoff.queue(settings.app_db, language=language or None, channel=channel or None, status=status or None)
    return _render(request, "console/queue.html", session, queue=queue,
                   filters={"language": language or "", "channel": channel or "", "status": status or ""})


def _conversation(settings, conversation_id: str) -> dict:
    view = handoff.transcript(settings.app_db, settings.tracker_db, conversation_id)
    if not view["turns"] and not view["escalations"]:
        raise HTTPException(404, "No such conversation.")
    return view


@pages.get("/conversations/{conversation_id}", response_class=HTMLResponse)
async def conversation_page(request: Request, conversation_id: str, session: OperatorPage, settings: SettingsDep):
    view = _conversation(settings, conversation_id)
    return _render(request, "console/conversation.html", session, c=view,
                   current=handoff.current(settings.app_db, conversation_id),
                   canned=canned_replies(view["language"]), history=audit.entries(settings.app_db, conversation_id, 50))


async def _reply(settings, assistant, conversation_id: str, text: str, author: str) -> dict:
    text = text.strip()
    if not text or len(text) > MAX_REPLY:
        raise HTTPException(422, f"A reply needs 1-{MAX_REPLY} characters.")
    view = _conversation(settings, conversation_id)
    escalation = handoff.current(settings.app_db, conversation_id)
    if escalation is None:
        raise HTTPException(409, "This conversation is not with a person: nothing to reply to.")
    if escalation.status != "assigned":  # replying takes the conversation
        await _take(settings, assistant, escalation, author)
    # The web page fetches replies as they come; SMS goes through the
    # durable outbound queue (the console shows its status).
    delivery = "web"
    if view["channel"] == "sms":
        outbox_id, status = sms_outbox.enqueue(settings.app_db, conversation_id, text,
                                               daily_cap=settings.sms_daily_segment_cap)
        delivery = f"sms:{outbox_id}"
    message_id = handoff.add_message(settings.app_db, conversation_id, author, "reply", text, delivery)
    return {"id": message_id, "delivery": delivery}


async def _take(settings, assistant, escalation: handoff.Escalation, username: str) -> None:
    handoff.assign(settings.app_db, escalation, username)
    if not await assistant.is_paused(escalation.conversation_id):
        await assistant.pause(escalation.conversation_id)


async def _hand_back(settings, assistant, escalation: handoff.Escalation, username: str) -> None:
    handoff.resolve(settings.app_db, escalation, username)
    if await assistant.is_paused(escalation.conversation_id):
        await assistant.resume(escalation.conversation_id)


def _open(settings, conversation_id: str) -> handoff.Escalation:
    escalation = handoff.current(settings.app_db, conversation_id)
    if escalation is None:
        raise HTTPException(409, "This conversation has no open escalation.")
    return escalation


def _back(conversation_id: str) -> RedirectResponse:
    return RedirectResponse(f"/console/conversations/{conversation_id}", status_code=303)


@pages.post("/conversations/{conversation_id}/reply")
async def reply_form(conversation_id: str, session: OperatorPage, settings: SettingsDep, assistant: AssistantDep,
                     text: str = Form("")):
    await _reply(settings, assistant, conversation_id, text, session.user.username)
    return _back(conversation_id)


@pages.post("/conversations/{conversation_id}/note")
async def note_form(conversation_id: str, session: OperatorPage, settings: SettingsDep, text: str = Form("")):
    _conversation(settings, conversation_id)
    if not text.strip() or len(text) > MAX_REPLY:
        raise HTTPException(422, f"A note needs 1-{MAX_REPLY} characters.")
    handoff.add_message(settings.app_db, conversation_id, session.user.username, "note", text.strip(), "internal")
    return _back(conversation_id)


@pages.post("/conversations/{conversation_id}/tags")
async def tags_form(conversation_id: str, session: OperatorPage, settings: SettingsDep, tags: str = Form("")):
    _conversation(settings, conversation_id)
    handoff.set_tags(settings.app_db, conversation_id, tags.split(","), session.user.username)
    return _back(conversation_id)


@pages.post("/conversations/{conversation_id}/assign")
async def assign_form(conversation_id: str, session: OperatorPage, settings: SettingsDep, assistant: AssistantDep):
    await _take(settings, assistant, _open(settings, conversation_id), session.user.username)
    return _back(conversation_id)


@pages.post("/conversations/{conversation_id}/resolve")
async def resolve_form(conversation_id: str, session: OperatorPage, settings: SettingsDep, assistant: AssistantDep):
    await _hand_back(settings, assistant, _open(settings, conversation_id), session.user.username)
    return RedirectResponse("/console", status_code=303)


@pages.post("/conversations/{conversation_id}/erase")
async def erase_form(conversation_id: str, session: AdminPage, settings: SettingsDep):
    retention.erase(settings.app_db, settings.tracker_db, conversation_id, session.user.username)
    return RedirectResponse("/console", status_code=303)


# --- accounts (admin) -------------------------------------------------------------

@pages.get("/users", response_class=HTMLResponse)
async def users_page(request: Request, session: AdminPage, settings: SettingsDep):
    return _render(request, "console/users.html", session, users=accounts.users(settings.app_db),
                   roles=accounts.ROLES, error=None)


@pages.post("/users")
async def create_user_form(request: Request, session: AdminPage, settings: SettingsDep,
                           username: str = Form(""), password: str = Form(""), role: str = Form("operator")):
    try:
        user = accounts.create(settings.app_db, username, password, role)
    except ValueError as exc:
        response = _render(request, "console/users.html", session, users=accounts.users(settings.app_db),
                           roles=accounts.ROLES, error=console_text.for_request(request).reason(exc.args[0]))
        response.status_code = 422
        return response
    db = connect(settings.app_db)
    with db.conn:
        audit.record(db, session.user.username, "create_user", f"user:{user.username}", role=role)
    db.close()
    return RedirectResponse("/console/users", status_code=303)


# --- JSON API -------------------------------------------------------------------------

class ReplyBody(BaseModel):
    text: StrictStr = Field(..., min_length=1, max_length=MAX_REPLY)


class LoginBody(BaseModel):
    username: StrictStr
    password: StrictStr


@api.post("/login")
async def login_api(body: LoginBody, request: Request, settings: SettingsDep):
    """Sign in; the session cookie is set and the CSRF token returned (send
    it as X-CSRF-Token on every POST and DELETE)."""
    throttle: accounts.LoginThrottle = request.app.state.login_throttle
    keys = (f"user:{body.username.strip().lower()}", f"ip:{request.client.host if request.client else '-'}")
    if throttle.blocked(*keys):
        raise HTTPException(429, "Too many failed attempts. Wait five minutes.")
    user = accounts.authenticate(settings.app_db, body.username, body.password)
    if user is None:
        throttle.failed(*keys)
        raise HTTPException(401, "Wrong username or password.")
    throttle.succeeded(*keys)
    session = accounts.start_session(settings.app_db, user)
    response = JSONResponse({"username": user.username, "role": user.role, "csrf": session.csrf})
    response.set_cookie(COOKIE, session.id, max_age=accounts.SESSION_HOURS * 3600, **cookie_args(request, settings))
    return response


@api.get("/session")
async def session_api(session: Annotated[accounts.Session, Depends(staff_api)]):
    """Who is signed in, and the CSRF token for this session."""
    return {"username": session.user.username, "role": session.user.role, "csrf": session.csrf}


@api.get("/queue")
async def queue_api(session: OperatorApi, settings: SettingsDep,
                    language: str | None = None, channel: str | None = None, status: str | None = None):
    """Escalated conversations, most urgent first, then longest waiting; with counts."""
    return handoff.queue(settings.app_db, language=language, channel=channel, status=status)


@api.get("/conversations/{conversation_id}")
async def conversation_api(conversation_id: str, session: OperatorApi, settings: SettingsDep):
    """The whole transcript, with language, channel, topics and services offered, and why it escalated."""
    return _conversation(settings, conversation_id)


@api.post("/conversations/{conversation_id}/reply")
async def reply_api(conversation_id: str, body: ReplyBody, session: OperatorApi, settings: SettingsDep,
                    assistant: AssistantDep):
    return await _reply(settings, assistant, conversation_id, body.text, session.user.username)


@api.post("/conversations/{conversation_id}/assign")
async def assign_api(conversation_id: str, session: OperatorApi, settings: SettingsDep, assistant: AssistantDep):
    await _take(settings, assistant, _open(settings, conversation_id), session.user.username)
    return {"status": "assigned", "assigned_to": session.user.username}


@api.post("/conversations/{conversation_id}/resolve")
async def resolve_api(conversation_id: str, session: OperatorApi, settings: SettingsDep, assistant: AssistantDep):
    await _hand_back(settings, assistant, _open(settings, conversation_id), session.user.username)
    return {"status": "resolved"}


@api.delete("/conversations/{conversation_id}")
async def erase_api(conversation_id: str, session: AdminApi, settings: SettingsDep):
    """Erase everything stored about a conversation (admin)."""
    retention.erase(settings.app_db, settings.tracker_db, conversation_id, session.user.username)
    return {"erased": conversation_id}


@api.get("/users")
async def users_api(session: AdminApi, settings: SettingsDep):
    return accounts.users(settings.app_db)
