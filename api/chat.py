"""POST /api/v1/chat: the web page's and outside checks' way in."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.assistant import NotReady
from api.converse import converse
from api.deps import AssistantDep, SenderKeyDep, SettingsDep
from api.models import ChatRequest, ChatResponse
from api.privacy import pseudonym

router = APIRouter(prefix="/api/v1", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        400: {"description": "The body is not valid JSON."},
        413: {"description": "The body is too large."},
        422: {"description": "A field is missing or invalid; `detail` says which and why."},
        503: {"description": "The assistant is still loading (see GET /health)."},
    },
)
async def chat(body: ChatRequest, settings: SettingsDep, assistant: AssistantDep, key: SenderKeyDep):
    """Send one message and get the assistant's replies.

    `sender_id` is the caller's id for the user; it is stored only as a keyed
    hash. `language` forces the conversation language; otherwise it is
    detected from the text and kept for the conversation.
    """
    try:
        turn = await converse(
            assistant=assistant,
            app_db=settings.app_db,
            conversation_id=pseudonym(key, "web", body.sender_id),
            channel="web",
            text=body.text,
            language=body.language,
            country=body.country,
        )
    except NotReady:
        return JSONResponse(
            status_code=503,
            headers={"Retry-After": "5"},
            content={
                "error": "not_ready",
                "message": f"The assistant is {assistant.status}; try again in a few seconds.",
            },
        )
    return ChatResponse(
        sender_id=body.sender_id,
        language=turn.language,
        topic=turn.topic,
        service_categories=turn.service_categories,
        escalated=turn.escalated,
        messages=turn.messages,
    )
