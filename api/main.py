"""The FastAPI application: one process serving pages, API and the bot.

    uvicorn api.main:app --ws wsproto
"""
from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import chat, conversations, errors, escalations, health, sms, sms_state, web
from api.assistant import Assistant
from api.privacy import load_or_create_key
from api.settings import Settings, get_settings
from directory.seed import seed as seed_directory

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
logger = logging.getLogger("api")


def configure_logging() -> None:
    """INFO without message text: Rasa logs user text only at DEBUG."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("rasa", "tensorflow", "absl", "h5py", "matplotlib", "apscheduler", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


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
        app.state.sender_key = load_or_create_key(settings.secret_file)
        loading = asyncio.create_task(app.state.assistant.load())
        yield
        loading.cancel()

    app = FastAPI(
        title="Migrant information assistant",
        description="Rights and obligations of migrants, in their language, with the way to real help.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.assistant = Assistant(settings.model_path, settings.tracker_db)
    errors.install(app, settings.max_body_bytes)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(sms.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app


app = create_app()
