"""The in-process action endpoint behaves like the action server for Rasa."""
import asyncio
import json

import pytest
from rasa.utils.endpoints import ClientResponseError

from api.inprocess_actions import InProcessActionEndpoint


def _call(action: str, text: str, language: str | None = None) -> dict:
    return {
        "next_action": action,
        "sender_id": "unit",
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": "unit",
            "slots": {"language": None},
            "latest_message": {"text": text, "intent": {"name": "greet"}, "entities": []},
            "events": [{"event": "user", "text": text, "metadata": {"language": language} if language else {}}],
            "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
        },
    }


def test_runs_an_action_and_returns_what_the_action_server_would(knowledge_db, monkeypatch, tmp_path):
    from directory.seed import seed

    seed(tmp_path / "directory.db")
    monkeypatch.setenv("KNOWLEDGE_DB", str(knowledge_db))
    monkeypatch.setenv("DIRECTORY_DB", str(tmp_path / "directory.db"))
    endpoint = InProcessActionEndpoint("actions")
    result = asyncio.run(endpoint.request(json=_call("action_greet", "hola", "es")))
    assert result["events"][0] == {"event": "slot", "timestamp": None, "name": "language", "value": "es"}
    assert result["responses"][0]["text"]
    assert result["responses"][-1]["custom"] == {"meta": {"language": "es", "country": None, "nationality": None}}


def test_unknown_action_is_rejected_as_rasa_expects():
    endpoint = InProcessActionEndpoint("actions")
    with pytest.raises(ClientResponseError) as caught:
        asyncio.run(endpoint.request(json=_call("action_does_not_exist", "hi")))
    assert caught.value.status == 404
    assert json.loads(caught.value.text)["action_name"] == "action_does_not_exist"
