"""The web chat page at `/`: one small page, no CDN, in the user's language."""
from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from locales import (
    SUPPORTED_LANGUAGES,
    from_accept_language,
    gettext_for,
    language_name,
    text_direction,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(tags=["web"])


def negotiate(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in SUPPORTED_LANGUAGES:
        return asked
    return from_accept_language(request.headers.get("accept-language", ""))


def ui_strings(lang: str) -> dict[str, str]:
    """The few strings the page's script needs, for switching without reload."""
    _ = gettext_for(lang)
    return {
        "title": _("Know your rights"),
        "placeholder": _("Type your question"),
        "send": _("Send"),
        "language": _("Language"),
        "starting": _("The assistant is starting. Please wait a few seconds."),
        "offline": _("I could not reach the service. Please try again."),
        "you": _("You"),
        "bot": _("Assistant"),
        "operator": _("A person from our team"),
        "disclaimer": _(
            "General information, not legal advice. Do not write your name, "
            "address or document numbers here."
        ),
        "conversation": _("Conversation"),
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page(request: Request):
    lang = negotiate(request)
    strings = {code: ui_strings(code) | {"dir": text_direction(code)} for code in SUPPORTED_LANGUAGES}
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "lang": lang,
            "dir": text_direction(lang),
            "ui": strings[lang],
            "languages": [(code, language_name(code)) for code in SUPPORTED_LANGUAGES],
            "strings_json": json.dumps(strings, ensure_ascii=False),
        },
    )
