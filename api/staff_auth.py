"""Sign-in for staff, role checks and CSRF protection.

Pages redirect to the sign-in form when nobody is signed in; the JSON API
answers 401. A wrong role is 403 everywhere. Every state-changing request
must carry the session's CSRF token (form field `csrf` or header
`X-CSRF-Token`); the cookie alone is never enough.
"""
from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api import accounts

COOKIE = "staff_session"


class SignInRequired(Exception):
    """Raised by page dependencies; turned into a redirect to the form."""


def cookie_args(request: Request, settings) -> dict:
    secure = request.url.scheme == "https" or settings.public_base_url.startswith("https://")
    return {"httponly": True, "secure": secure, "samesite": "strict", "path": "/"}


def _session(request: Request) -> accounts.Session | None:
    return accounts.session(request.app.state.settings.app_db, request.cookies.get(COOKIE))


async def _csrf_ok(request: Request, session: accounts.Session) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return True
    token = request.headers.get("x-csrf-token")
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        token = (await request.form()).get("csrf")
    return isinstance(token, str) and secrets.compare_digest(token, session.csrf)


def page(*roles: str):
    """Dependency for console pages: signed in, with one of `roles`."""

    async def check(request: Request) -> accounts.Session:
        session = _session(request)
        if session is None:
            raise SignInRequired()
        if not session.user.can(*roles):
            raise HTTPException(403, "Your role cannot open this page.")
        if not await _csrf_ok(request, session):
            raise HTTPException(403, "The form has expired (CSRF check failed). Reload the page and try again.")
        return session

    return check


def api(*roles: str):
    """Dependency for the console JSON API."""

    async def check(request: Request) -> accounts.Session:
        session = _session(request)
        if session is None:
            raise HTTPException(401, "Sign in first (POST /console/login).")
        if not session.user.can(*roles):
            raise HTTPException(403, f"This needs the role {' or '.join(roles)}.")
        if not await _csrf_ok(request, session):
            raise HTTPException(403, "Missing or wrong X-CSRF-Token header.")
        return session

    return check


staff_api = api("operator", "editor")
OperatorPage = Annotated[accounts.Session, Depends(page("operator"))]
AdminPage = Annotated[accounts.Session, Depends(page("admin"))]
OperatorApi = Annotated[accounts.Session, Depends(api("operator"))]
AdminApi = Annotated[accounts.Session, Depends(api("admin"))]
AnyStaffPage = Annotated[accounts.Session, Depends(page("operator", "editor"))]
