"""The Rasa agent inside the gateway: loaded once, in the background.

Importing Rasa and loading a model take ~20 s, so the server starts at once,
`GET /health` reports "loading", and chat answers 503 until the agent is
ready.
"""
from __future__ import annotations

import asyncio
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


class NotReady(RuntimeError):
    pass


class Assistant:
    def __init__(self, model_path: Path | None, tracker_db: Path) -> None:
        self.model_path = model_path
        self.tracker_db = tracker_db
        self.status = "loading"
        self.error: str | None = None
        self.load_seconds: float | None = None
        self._agent = None

    async def load(self) -> None:
        started = time.monotonic()
        try:
            if self.model_path is None or not Path(self.model_path).exists():
                raise FileNotFoundError(f"no trained model at {self.model_path} (run `make model`)")
            # Beside the agent: usually loaded from disk (make knowledge fits
            # them), else a ~7 s fit that mostly overlaps the agent's load.
            fitting = asyncio.create_task(asyncio.to_thread(_fit_classifiers))
            self._agent = await asyncio.to_thread(self._load_agent)
            # After, not beside, the agent: both hold the GIL, and in parallel
            # the cold start was slower (26 s against 21 s).
            await asyncio.to_thread(_warm_up)
            await fitting
        except Exception as e:  # reported by /health; the server keeps serving pages
            self.status, self.error = "failed", str(e)
            logger.exception("could not load the assistant")
            return
        self.load_seconds = time.monotonic() - started
        self.status = "ready"
        logger.info("assistant ready in %.1f s (model %s)", self.load_seconds, Path(self.model_path).name)

    def _load_agent(self):
        from rasa.core.agent import Agent
        from rasa.core.lock_store import InMemoryLockStore
        from rasa.core.tracker_store import SQLTrackerStore
        from rasa.utils.log_utils import configure_structlog

        from api import fast_validation
        from api.inprocess_actions import InProcessActionEndpoint

        configure_structlog(logging.WARNING)
        fast_validation.install()
        self.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        tracker_store = SQLTrackerStore(dialect="sqlite", db=str(self.tracker_db))
        with tracker_store.engine.connect() as conn:
            # WAL: one fsync per saved turn instead of several, same durability.
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return Agent.load(
            str(self.model_path),
            tracker_store=tracker_store,
            lock_store=InMemoryLockStore(),
            action_endpoint=InProcessActionEndpoint("actions"),
        )

    async def handle(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[dict]:
        if self.status != "ready":
            raise NotReady(self.status)
        from rasa.core.channels.channel import UserMessage

        output = _collecting_output()
        await self._agent.handle_message(
            UserMessage(text, output, sender_id, input_channel="api", metadata=metadata)
        )
        return output.messages


    async def _append(self, sender_id: str, *events) -> None:
        if self.status != "ready":
            raise NotReady(self.status)
        async with self._agent.lock_store.lock(sender_id):
            tracker = await self._agent.tracker_store.get_or_create_tracker(sender_id)
            for event in events:
                tracker.update(event)
            await self._agent.tracker_store.save(tracker)

    async def pause(self, sender_id: str) -> None:
        """Hand the conversation to people: Rasa stores the user's messages
        but predicts nothing until `resume`."""
        from rasa.shared.core.events import ConversationPaused

        await self._append(sender_id, ConversationPaused())

    async def resume(self, sender_id: str) -> None:
        # ConversationResumed alone would make the hand-off fire again on the
        # next message (../shared/RASA-NOTES.md): listen first.
        from rasa.shared.core.events import ActionExecuted, ConversationResumed

        await self._append(sender_id, ConversationResumed(), ActionExecuted("action_listen"))

    async def is_paused(self, sender_id: str) -> bool:
        tracker = await self._agent.tracker_store.retrieve(sender_id)
        return bool(tracker and tracker.is_paused())


def _warm_up() -> None:
    """Load the language models and the sentence encoder before the first
    user's message, not during it (lingua alone takes ~4 s)."""
    from knowledge.embeddings import embed_query
    from locales.detect import detect

    detect("warming up the language models")
    embed_query("warming up")


def _fit_classifiers() -> None:
    """Optional: search works without them (and fits them when it can)."""
    from actions.context import knowledge_db
    from knowledge import classifier

    try:
        if knowledge_db().exists():
            classifier.get(knowledge_db())
    except Exception:
        logger.exception("could not prepare the topic classifiers")


@lru_cache(maxsize=1)
def _whole_messages_channel():
    """Rasa's collecting channel splits text at blank lines into separate
    messages; an answer (title, text, steps, sources) is one message here."""
    from rasa.core.channels.channel import CollectingOutputChannel

    class WholeMessages(CollectingOutputChannel):
        async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
            await self._persist_message(self._message(recipient_id, text=text))

    return WholeMessages


def _collecting_output():
    return _whole_messages_channel()()
