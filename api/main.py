"""The FastAPI application: one process serving pages, API and the bot.

    uvicorn api.main:app --ws wsproto
"""
from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api import (
    accounts,
    audit,
    chat,
    console,
    conversations,
    directory_editing,
    directory_pages,
    drafts,
    errors,
    escalations,
    handoff,
    health,
    knowledge_editing,
    knowledge_pages,
    retention,
    sms,
    sms_numbers,
    sms_outbox,
    sms_providers,
    sms_state,
    statement,
    web,
    workflow,
)
from api.assistant import Assistant
from api.privacy import load_or_create_key
from api.settings import Settings, get_settings
from api.staff_auth import SignInRequired
from directory.seed import seed as seed_directory

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
logger = logging.getLogger("api")


def configure_logging() -> None:
    """INFO without message text: Rasa logs user text only at DEBUG."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("rasa", "tensorflow", "absl", "h5py", "matplotlib", "apscheduler", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _expire_daily(settings: Settings) -> None:
    """Erase conversations older than RETENTION_DAYS, at start and daily."""
    while True:
        try:
            erased = await asyncio.to_thread(retention.expire, settings.app_db, settings.tracker_db, settings.retention_days)
            if erased:
                logger.info("expired %d conversation(s) older than %d days", erased, settings.retention_days)
        except Exception:
            logger.exception("expiry failed; trying again tomorrow")
        await asyncio.sleep(24 * 3600)


async def _send_sms(settings: Settings, fernet) -> None:
    """The outbound SMS worker: send what is due, every few seconds."""
    provider = sms_providers.from_settings(settings)
    callback = settings.public_base_url.rstrip("/") + f"/sms/{provider.name}/status" if provider else None
    while True:
        try:
            await asyncio.to_thread(sms_outbox.deliver_due, settings.app_db, provider, fernet,
                                    status_callback=callback, base_seconds=settings.sms_retry_base_seconds)
        except Exception:
            logger.exception("outbound SMS pass failed")
        await asyncio.sleep(settings.sms_outbox_poll_seconds)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging()
        conversations.ensure_schema(settings.app_db)
        sms_state.ensure_schema(settings.app_db)
        escalations.ensure_schema(settings.app_db)
        # The in-process actions find the directory through the environment.
        os.environ["DIRECTORY_DB"] = str(settings.directory_db)
        seed_directory(settings.directory_db)  # fills only what is still empty
        accounts.ensure_schema(settings.app_db)
        audit.ensure_schema(settings.app_db)
        handoff.ensure_schema(settings.app_db)
        workflow.ensure_schema(settings.app_db)
        conversations.ensure_columns(settings.app_db)
        password = accounts.ensure_first_admin(settings.app_db, settings.admin_username, settings.admin_password)
        if password:
            # Printed once, to the terminal of whoever started the server; not logged.
            print(f"\n  First admin account: {settings.admin_username} / {password}\n"
                  "  Sign in at /console and change it (or set ADMIN_PASSWORD).\n", flush=True)
        sms_numbers.ensure_schema(settings.app_db)
        sms_outbox.ensure_schema(settings.app_db)
        sms_outbox.recover(settings.app_db)
        app.state.sms_fernet = sms_numbers.load_key(settings.sms_number_key_file)
        expiry = asyncio.create_task(_expire_daily(settings))
        sender = asyncio.create_task(_send_sms(settings, app.state.sms_fernet))
        app.state.sender_key = load_or_create_key(settings.secret_file)
        loading = asyncio.create_task(app.state.assistant.load())
        yield
        loading.cancel()
        expiry.cancel()
        sender.cancel()

    app = FastAPI(
        title="Migrant information assistant",
        description="Rights and obligations of migrants, in their language, with the way to real help.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.assistant = Assistant(settings.model_path, settings.tracker_db)
    app.state.login_throttle = accounts.LoginThrottle()
    errors.install(app, settings.max_body_bytes)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(sms.router)
    app.include_router(web.router)
    app.include_router(statement.router)
    app.include_router(directory_editing.router)
    app.include_router(knowledge_editing.router)
    app.include_router(drafts.router)
    app.include_router(knowledge_pages.pages)
    app.include_router(directory_pages.pages)
    app.include_router(console.pages)
    app.include_router(console.api)

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, exc: SignInRequired):
        # Back to the page asked for after signing in (GET pages only).
        target = request.url.path if request.method == "GET" else ""
        return RedirectResponse(f"/console/login?next={quote(target)}" if target else "/console/login", status_code=303)

    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app


app = create_app()
