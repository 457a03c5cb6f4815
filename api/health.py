"""GET /health: is the assistant loading, ready or failed?"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import AssistantDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(assistant: AssistantDep):
    body = {"status": assistant.status}
    if assistant.load_seconds is not None:
        body["load_seconds"] = round(assistant.load_seconds, 1)
    if assistant.error:
        body["error"] = assistant.error
    return JSONResponse(body, status_code=500 if assistant.status == "failed" else 200)
