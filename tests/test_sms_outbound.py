"""Outbound SMS: operator replies through the provider's REST API (the
real twilio client against a local stand-in), retries, receipts, the
daily cap, opt-out, and the encrypted number."""
from __future__ import annotations

import sqlite3
import time

import httpx
import pytest
from twilio.request_validator import RequestValidator

from api.privacy import load_or_create_key, pseudonym
from api.sms_providers import HttpGatewayProvider, PermanentError, TransientError
from tests.conftest import ADMIN_PASSWORD, TWILIO_TOKEN
from tests.fake_sms_provider import FakeProvider
from tests.test_sms import Phone


@pytest.fixture(scope="module")
def admin(server):
    client = httpx.Client(base_url=server.base_url, timeout=30)
    response = client.post("/api/v1/console/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    client.headers["X-CSRF-Token"] = response.json()["csrf"]
    client.headers["Cookie"] = f"staff_session={response.cookies['staff_session']}"
    yield client
    client.close()


def outbox(server, message_id: int) -> dict:
    with sqlite3.connect(server.data_dir / "app.db") as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM sms_outbox WHERE id = ?", [message_id]).fetchone())


def wait_for(server, message_id: int, statuses: set[str], timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = outbox(server, message_id)
        if row["status"] in statuses:
            return row
        time.sleep(0.2)
    raise AssertionError(f"message {message_id} stayed {row['status']}")


def escalated_phone(server, number: str) -> tuple[Phone, str]:
    phone = Phone(server, number)
    assert "person" in phone.send("I want to talk to a person")
    cid = pseudonym(load_or_create_key(server.data_dir / "sender-id.key"), "sms", number)
    return phone, cid


def test_operator_reply_is_sent_retried_and_confirmed(server, admin, sms_provider):
    phone, cid = escalated_phone(server, "+971501110001")
    with sqlite3.connect(server.data_dir / "app.db") as conn:
        stored = conn.execute("SELECT number FROM sms_numbers WHERE conversation_id = ?", [cid]).fetchone()[0]
    assert b"971501110001" not in stored  # encrypted at rest

    sms_provider.plan = [503]  # the first try fails, the retry goes through
    before = len(sms_provider.requests)
    reply = admin.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "Hello from Ana"}).json()
    message_id = int(reply["delivery"].split(":")[1])
    row = wait_for(server, message_id, {"sent", "failed"})
    assert row["status"] == "sent" and row["attempts"] == 2
    made = sms_provider.requests[before:]
    assert len(made) == 2
    for request in made:
        assert request["path"] == "/2010-04-01/Accounts/ACtest0000000000000000000000000000/Messages.json"
        assert request["form"] == {
            "To": "+971501110001", "From": "+15550001111", "Body": "Hello from Ana",
            "StatusCallback": phone.public_url + "/status",
        }
        assert request["headers"]["Authorization"].startswith("Basic ")

    callback = phone.public_url + "/status"
    params = {"MessageSid": row["provider_id"], "MessageStatus": "delivered"}
    forged = server.client.post("/sms/twilio/status", data=params, headers={"X-Twilio-Signature": "bad"})
    assert forged.status_code == 403
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(callback, params)
    ok = server.client.post("/sms/twilio/status", data=params, headers={"X-Twilio-Signature": signature})
    assert ok.status_code == 204
    assert outbox(server, message_id)["status"] == "delivered"
    view = admin.get(f"/api/v1/console/conversations/{cid}").json()
    assert view["turns"][-1]["delivery"] == "sms delivered"
    # The console says it in the operator's language.
    from locales import CONSOLE_DOMAIN, translations

    es = translations("es", CONSOLE_DOMAIN).gettext
    page = admin.get(f"/console/conversations/{cid}", headers={"Accept-Language": "es"}).text
    assert es("SMS: {status}").format(status=es("delivered")) in page


def test_a_failed_delivery_that_may_pass_is_sent_again(server, admin, sms_provider):
    phone, cid = escalated_phone(server, "+971501110002")
    reply = admin.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "Are you safe?"}).json()
    message_id = int(reply["delivery"].split(":")[1])
    first = wait_for(server, message_id, {"sent"})
    params = {"MessageSid": first["provider_id"], "MessageStatus": "undelivered", "ErrorCode": "30003"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(phone.public_url + "/status", params)
    assert server.client.post("/sms/twilio/status", data=params, headers={"X-Twilio-Signature": signature}).status_code == 204
    again = wait_for(server, message_id, {"sent"}, timeout=20)
    assert again["provider_id"] != first["provider_id"] and again["attempts"] == 2


def test_daily_cap_and_opt_out_stop_sending(server, admin, sms_provider):
    phone, cid = escalated_phone(server, "+971501110003")
    long_text = "This message is long. " * 44  # 968 characters: 7 segments, over the test cap of 6
    capped = admin.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": long_text}).json()
    assert outbox(server, int(capped["delivery"].split(":")[1]))["status"] == "capped"

    phone.send("STOP")
    before = len(sms_provider.requests)
    reply = admin.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "Still there?"}).json()
    assert wait_for(server, int(reply["delivery"].split(":")[1]), {"opted_out", "sent"})["status"] == "opted_out"
    assert len(sms_provider.requests) == before


def test_generic_http_gateway_provider():
    gateway = FakeProvider()
    try:
        provider = HttpGatewayProvider(gateway.url + "/send", token="secret")
        assert provider.send("+34612345678", "Hola", None).startswith("SM")
        request = gateway.requests[-1]
        assert request["path"] == "/send" and request["form"] == {"to": "+34612345678", "text": "Hola"}
        assert request["headers"]["Authorization"] == "Token secret"
        gateway.plan = [503]
        with pytest.raises(TransientError):
            provider.send("+34612345678", "Hola", None)
        gateway.plan = [400]
        with pytest.raises(PermanentError):
            provider.send("+34612345678", "Hola", None)
    finally:
        gateway.stop()
