"""The classic deployment still works: `rasa run` + `rasa run actions`
from the same bot/ and actions/, talking over Rasa's REST channel."""
import os
import subprocess

import httpx
import pytest

from api.settings import PROJECT_ROOT
from tests.conftest import VENV_BIN, free_port, wait_until


@pytest.fixture(scope="module")
def classic(tmp_path_factory, model_path, knowledge_db):
    tmp = tmp_path_factory.mktemp("classic")
    action_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    from directory.seed import seed

    seed(tmp / "directory.db")
    env = os.environ | {"KNOWLEDGE_DB": str(knowledge_db), "DIRECTORY_DB": str(tmp / "directory.db"), "RASA_TELEMETRY_ENABLED": "false"}
    logs = [(tmp / "actions.log").open("wb"), (tmp / "rasa.log").open("wb")]
    actions = subprocess.Popen(
        [VENV_BIN / "rasa", "run", "actions", "--actions", "actions", "--port", str(action_port)],
        cwd=PROJECT_ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [VENV_BIN / "rasa", "run", "--enable-api", "--model", str(model_path), "--endpoints", str(endpoints),
         "--credentials", "bot/credentials.yml", "--port", str(rasa_port), "--interface", "127.0.0.1"],
        cwd=PROJECT_ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{rasa_port}", timeout=30)
    try:
        wait_until(lambda: httpx.get(f"http://127.0.0.1:{action_port}/health").status_code == 200, 120, "action server", actions)
        wait_until(lambda: client.get("/status").json().get("model_file"), 180, "rasa server", rasa)
        yield client
    finally:
        client.close()
        for process in (rasa, actions):
            process.terminate()
            process.wait(timeout=30)
        for log in logs:
            log.close()


def _send(client, sender, text):
    response = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
    assert response.status_code == 200, response.text
    return response.json()


def test_classic_deployment_answers_from_the_knowledge_base(classic):
    replies = _send(classic, "classic-en", "my boss kept my passport, is that allowed?")
    texts = "\n".join(r.get("text", "") for r in replies)
    assert "ICRMW art. 21" in texts
    meta = [r["custom"]["meta"] for r in replies if "custom" in r]
    assert meta and meta[0]["topic"] == "rights.identity_documents" and meta[0]["language"] == "en"


def test_classic_deployment_detects_and_keeps_the_language(classic):
    replies = _send(classic, "classic-es", "mi jefe se quedó con mi pasaporte, ¿eso está permitido?")
    meta = [r["custom"]["meta"] for r in replies if "custom" in r]
    assert meta[0]["language"] == "es"
    replies = _send(classic, "classic-es", "ok gracias")
    meta = [r["custom"]["meta"] for r in replies if "custom" in r]
    assert meta[0]["language"] == "es"
