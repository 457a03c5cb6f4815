"""POST /api/v1/chat: the web page's and outside checks' way in."""
from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from api import handoff
from api.assistant import NotReady
from api.converse import converse
from api.deps import AssistantDep, SenderKeyDep, SettingsDep
from api.models import ChatRequest, ChatResponse
from api.privacy import pseudonym

router = APIRouter(prefix="/api/v1", tags=["chat"])
STREAM_POLL_SECONDS = 1.0


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
            tracker_db=settings.tracker_db,
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


@router.get("/chat/stream", responses={200: {"content": {"text/event-stream": {}}}})
async def operator_stream(request: Request, sender_id: str, settings: SettingsDep, key: SenderKeyDep, after: int = 0):
    """Server-sent events: each reply a person writes to this user
    (`event: operator`, data `{"id", "text", "created_at"}`), from `after` on."""
    if not 0 < len(sender_id) <= 128:
        return JSONResponse(status_code=422, content={"error": "invalid_request", "message": "sender_id: 1-128 characters"})
    conversation_id = pseudonym(key, "web", sender_id)

    async def events():
        last = after
        yield "retry: 3000\n\n"
        while not await request.is_disconnected():
            for m in await asyncio.to_thread(handoff.replies_after, settings.app_db, conversation_id, last):
                last = m["id"]
                yield f"id: {m['id']}\nevent: operator\ndata: {json.dumps(m, ensure_ascii=False)}\n\n"
            await asyncio.sleep(STREAM_POLL_SECONDS)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
