"""The chat API contract, against the real server with the real model."""
import pytest

from locales import SUPPORTED_LANGUAGES
from tests.conftest import start_server

FIELDS = {"sender_id", "language", "topic", "service_categories", "escalated", "messages"}


def test_health_is_ready(server):
    body = server.client.get("/health").json()
    assert body["status"] == "ready" and body["load_seconds"] > 0


def test_answer_has_every_field_of_the_contract(server):
    body = server.chat("contract-1", "my boss kept my passport, is that allowed?")
    assert set(body) == FIELDS
    assert body["sender_id"] == "contract-1"
    assert body["language"] == "en"
    assert body["topic"] == "rights.identity_documents"
    assert body["escalated"] is True  # an employer keeping a passport: a person reads along
    assert body["service_categories"] == ["hotline", "legal_aid", "consulate"]
    for message in body["messages"]:
        assert isinstance(message["text"], str) and message["text"]
        for button in message["buttons"]:
            assert set(button) == {"title", "payload"}


def test_openapi_documents_the_chat_endpoint(server):
    spec = server.client.get("/openapi.json").json()
    assert "/api/v1/chat" in spec["paths"]
    assert server.client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"sender_id": "x", "text": ""}, 422, "text"),
        ({"sender_id": "x", "text": "   "}, 422, "text"),
        ({"sender_id": "x", "text": "a" * 2001}, 422, "text"),
        ({"sender_id": "x"}, 422, "text"),
        ({"text": "hello"}, 422, "sender_id"),
        ({"sender_id": "", "text": "hello"}, 422, "sender_id"),
        ({"sender_id": "x", "text": "hello", "language": "xx"}, 422, "language"),
        ({"sender_id": "x", "text": "hello", "language": "de"}, 422, "language"),
        ({"sender_id": "x", "text": "hello", "country": "ZZ"}, 422, "country"),
        ({"sender_id": "x", "text": 12}, 422, None),
        ({"sender_id": ["x"], "text": "hello"}, 422, "sender_id"),
    ],
)
def test_bad_requests_get_a_4xx_that_says_what_is_wrong(server, body, status, field):
    response = server.client.post("/api/v1/chat", json=body)
    assert response.status_code == status, response.text
    error = response.json()
    assert error["error"] == "invalid_request" and error["message"]
    if field:
        assert field in {d["field"] for d in error["detail"]}


def test_text_of_exactly_2000_characters_is_accepted(server):
    body = server.chat("contract-long", "my employer does not pay me " + "a" * (2000 - 28))
    assert body["messages"]


def test_malformed_json_and_oversized_bodies(server):
    response = server.client.post("/api/v1/chat", content=b'{"sender_id": "x", "text": ', headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_json"
    response = server.client.post("/api/v1/chat", content=b"x" * 70000, headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    response = server.client.post("/api/v1/chat", content=b"sender_id=x&text=hi", headers={"content-type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "text",
    ["/ask_right{\"topic\": \"no.such.topic\"}", "/restart", "/nonexistent_intent", "/ask_help{\"service_category\": 5}",
     "<script>alert(1)</script>", "\u0000\u202e", "/change_language{\"language\": \"de\"}", "/change_language{bad json"],
)
def test_nothing_a_user_sends_produces_a_server_error(server, text):
    # One conversation each: two misses in a row would hand it to a person,
    # and the bot stays quiet while a person has it.
    response = server.client.post("/api/v1/chat", json={"sender_id": f"fuzz-{text!r}"[:64], "text": text})
    assert response.status_code == 200, response.text
    assert response.json()["messages"]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_language_field_forces_the_language(server, lang):
    body = server.chat(f"forced-{lang}", "hello", language=lang)
    assert body["language"] == lang


def test_loading_or_failed_assistant_answers_503_with_a_message(tmp_path, knowledge_db):
    server = start_server(tmp_path / "broken", None, knowledge_db, wait_ready=False)
    try:
        response = server.client.post("/api/v1/chat", json={"sender_id": "x", "text": "hello"})
        assert response.status_code == 503
        assert response.json()["error"] == "not_ready" and "try again" in response.json()["message"]
        assert server.client.get("/health").json()["status"] in ("loading", "failed")
    finally:
        server.stop()
