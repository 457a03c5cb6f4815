"""The generic HTTP SMS gateway (RapidPro/TextIt-style external channel):
its incoming messages and delivery receipts, authenticated by its token."""
import itertools
import sqlite3

import pytest

from tests.conftest import GATEWAY_TOKEN
from tests.test_sms import Phone
from tests.test_sms_outbound import admin, escalated_phone, outbox, wait_for  # noqa: F401 (fixture)

_ids = itertools.count(1)
AUTH = {"Authorization": f"Token {GATEWAY_TOKEN}"}


def gateway_send(server, number, text, message_id=None, as_json=False, headers=AUTH):
    fields = {"from": number, "text": text, "id": message_id or f"gw-{next(_ids)}"}
    if as_json:
        return server.client.post("/sms/http", json=fields, headers=headers)
    return server.client.post("/sms/http", data=fields, headers=headers)


def _inbound_count(server):
    with sqlite3.connect(server.data_dir / "app.db") as conn:
        return conn.execute("SELECT count(*) FROM sms_inbound").fetchone()[0]


def test_the_token_is_required_and_bad_requests_store_nothing(server):
    before = _inbound_count(server)
    assert gateway_send(server, "+34611000001", "hola", headers={}).status_code == 403
    assert gateway_send(server, "+34611000001", "hola", headers={"Authorization": "Token wrong"}).status_code == 403
    missing = server.client.post("/sms/http", data={"from": "+34611000001", "id": "gw-x"}, headers=AUTH)
    assert missing.status_code == 400 and "text" in missing.json()["message"]
    assert gateway_send(server, "+34611000001", "x" * 5000).status_code == 400
    not_json = server.client.post("/sms/http", content=b"[1, 2]", headers=AUTH | {"content-type": "application/json"})
    assert not_json.status_code == 400
    assert _inbound_count(server) == before


@pytest.mark.parametrize("as_json", [False, True])
def test_the_same_assistant_answers_once_per_message_id(server, as_json):
    number = "+3461100000" + ("2" if as_json else "3")
    question = "mi jefe no me paga el salario"
    first = gateway_send(server, number, question, message_id=f"gw-dup-{as_json}", as_json=as_json)
    assert first.status_code == 200, first.text
    reply = first.json()["reply"]
    # The same reply as over Twilio for a new number of the same country.
    assert reply and reply == Phone(server, number.replace("+346", "+347")).send(question)
    turns = _inbound_count(server)
    again = gateway_send(server, number, "mi jefe no me paga el salario", message_id=f"gw-dup-{as_json}", as_json=as_json)
    assert again.json()["reply"] == reply and _inbound_count(server) == turns
    assert gateway_send(server, number, "STOP").json()["reply"]  # the confirmation
    assert gateway_send(server, number, "hola otra vez").json()["reply"] == ""  # opted out: nothing to send


def test_delivery_receipts_from_the_gateway(server, admin):  # noqa: F811
    phone, cid = escalated_phone(server, "+971501234999")
    sent = admin.post(f"/api/v1/console/conversations/{cid}/reply", json={"text": "An operator here."}).json()
    message_id = int(sent["delivery"].split(":")[1])
    provider_id = wait_for(server, message_id, {"sent"})["provider_id"]
    receipt = {"id": provider_id, "status": "delivered"}
    assert server.client.post("/sms/http/status", data=receipt).status_code == 403
    assert server.client.post("/sms/http/status", data={"id": provider_id, "status": "read"}, headers=AUTH).status_code == 400
    assert server.client.post("/sms/http/status", data={"id": "unknown", "status": "delivered"}, headers=AUTH).status_code == 404
    assert server.client.post("/sms/http/status", json=receipt, headers=AUTH).status_code == 204
    assert outbox(server, message_id)["status"] == "delivered"


def test_the_same_id_from_two_senders_is_two_messages(server):
    """A gateway's ids may be counters that start again after a reinstall."""
    first = gateway_send(server, "+34611000010", "mi jefe no me paga el salario", message_id="7")
    second = gateway_send(server, "+34611000011", "HELP", message_id="7")
    assert first.status_code == second.status_code == 200
    assert second.json()["reply"] != first.json()["reply"]
    assert "STOP" in second.json()["reply"]  # the HELP text, not the other sender's answer
