"""Errors as JSON that say what is wrong: never a bare 500 for bad input."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException


def _field(loc) -> str:
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "body"


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") in ("json_invalid", "value_error.jsondecode") for e in errors):
        return JSONResponse({"error": "invalid_json", "message": "The request body is not valid JSON."}, status_code=400)
    detail = [{"field": _field(e["loc"]), "message": e["msg"]} for e in errors]
    message = "; ".join(f"{d['field']}: {d['message']}" for d in detail)
    return JSONResponse({"error": "invalid_request", "message": message, "detail": detail}, status_code=422)


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"error": "http_error", "message": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


# Imports of the whole knowledge base or directory by editors are bigger
# than any chat message; their endpoints check their own limit.
IMPORT_PATHS = ("/api/v1/knowledge/import", "/api/v1/directory/import")
IMPORT_MAX_BYTES = 4 * 1024 * 1024


def body_size_limit(max_bytes: int):
    """Refuse oversized bodies before reading them (by Content-Length)."""

    async def middleware(request: Request, call_next):
        limit = IMPORT_MAX_BYTES if request.url.path in IMPORT_PATHS else max_bytes
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return JSONResponse(
                {"error": "too_large", "message": f"The request body is larger than {limit} bytes."},
                status_code=413,
            )
        return await call_next(request)

    return middleware


def install(app: FastAPI, max_body_bytes: int) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.middleware("http")(body_size_limit(max_body_bytes))
