"""The SMS webhook, signed with the real twilio library."""
import itertools
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from knowledge.segments import segments
from locales import gettext_for
from tests.conftest import TWILIO_TOKEN

_sids = itertools.count(1)


class Phone:
    """A phone number texting the server through a (simulated) Twilio."""

    def __init__(self, server, number):
        self.server, self.number = server, number
        self.url = server.process.args and server.base_url  # for type checkers
        port = server.base_url.rsplit(":", 1)[1]
        self.public_url = f"https://sms.example.test:{port}/sms/twilio"

    def post(self, params, signature=None):
        signature = signature or RequestValidator(TWILIO_TOKEN).compute_signature(self.public_url, params)
        return self.server.client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": signature})

    def send(self, body, sid=None):
        params = {"From": self.number, "To": "+15550001111", "Body": body, "MessageSid": sid or f"SM{next(_sids):032d}"}
        response = self.post(params)
        assert response.status_code == 200, response.text
        message = ET.fromstring(response.text).find("Message")
        return "" if message is None else message.text


@pytest.fixture
def phone(server, request):
    return Phone(server, f"+97150{abs(hash(request.node.name)) % 10**7:07d}")


def _stored(server, table):
    with sqlite3.connect(server.data_dir / "app.db") as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_bad_signature_missing_fields_and_absurd_bodies_are_rejected_and_nothing_stored(server, phone):
    before = _stored(server, "sms_inbound")
    params = {"From": phone.number, "Body": "hello", "MessageSid": "SMbad"}
    assert phone.post(params, signature="forged").status_code == 403
    assert server.client.post("/sms/twilio", data=params).status_code == 403
    for field in ("From", "MessageSid", "Body"):
        incomplete = {k: v for k, v in params.items() if k != field}
        response = phone.post(incomplete)
        assert response.status_code == 400 and field in response.json()["message"]
    assert phone.post(params | {"Body": "x" * 5000}).status_code == 400
    assert _stored(server, "sms_inbound") == before


def test_a_provider_retry_gets_the_same_reply_and_no_second_turn(server, phone):
    first = phone.send("my boss kept my passport, is that allowed?", sid="SMretry0001")
    turns = _stored(server, "sms_inbound")
    with sqlite3.connect(server.data_dir / "tracker.db") as conn:
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert phone.send("my boss kept my passport, is that allowed?", sid="SMretry0001") == first
    assert _stored(server, "sms_inbound") == turns
    with sqlite3.connect(server.data_dir / "tracker.db") as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_no_phone_number_is_stored(server, phone):
    phone.send("hello")
    dump = b"".join(p.read_bytes() for p in server.data_dir.glob("*.db*"))  # with WAL files
    assert phone.number.encode() not in dump and phone.number[1:].encode() not in dump


@pytest.mark.parametrize("lang, question", [
    ("es", "mi jefe se quedó con mi pasaporte, ¿eso está permitido?"),
    ("ar", "صاحب العمل أخذ جواز سفري، هل هذا مسموح؟"),
])
def test_multi_turn_sms_conversation(server, phone, lang, question):
    _ = gettext_for(lang)
    answer = phone.send(question)
    assert segments(answer) <= 3
    chunk = answer
    for _turn in range(5):  # "reply MORE" until the end
        if _("Reply MORE for the rest.") not in chunk:
            break
        chunk = phone.send("MORE" if lang == "ar" else "mas")
        assert chunk and segments(chunk) <= 3, chunk
        answer += chunk
    else:
        pytest.fail(f"still more after 5 MORE: {answer}")
    assert "ICRMW art. 21" in answer
    assert _("Reply with a number to choose.") in answer
    chosen = phone.send("1")  # the first numbered help category
    assert chosen and segments(chosen) <= 3
    assert phone.send("gracias" if lang == "es" else "شكرا") == _("You are welcome. Is there anything else you want to know?")


@pytest.mark.parametrize("stop, start, lang", [("STOP", "START", "en"), ("alto", "alta", "es"), ("توقف", "ابدأ", "ar")])
def test_stop_is_honoured_until_start(server, phone, stop, start, lang):
    if lang != "en":
        phone.send({"es": "hola, necesito ayuda con mi contrato", "ar": "مرحبا أحتاج مساعدة"}[lang])
    _ = gettext_for(lang)
    assert phone.send(stop) == _("You will get no more messages from this service. Reply START to get them again.")
    assert phone.send("my boss kept my passport") == ""  # nothing is sent
    assert phone.send(start) == _("You will get messages again. Write your question.")
    assert phone.send("my boss kept my passport, is that allowed?")


def test_help_and_language_keywords(server, phone):
    assert "STOP" in phone.send("HELP")
    assert phone.send("ES") == gettext_for("es")("OK, I will write in English. What would you like to know?")
    menu = phone.send("LANG")
    assert "1 = English" in menu and "4 = العربية" in menu
    assert phone.send("4") == gettext_for("ar")("OK, I will write in English. What would you like to know?")


def test_the_country_of_the_number_is_where_the_user_is_until_they_say_otherwise(server, phone):
    """A +971 number: the answer carries the UAE note; after "I am in
    Madrid now" it does not."""
    assert phone.number.startswith("+971")
    in_uae = phone.send("my employer has not paid my salary for 3 months")
    assert "MOHRE" in in_uae
    phone.send("I am in Madrid now")
    assert "MOHRE" not in phone.send("my employer has not paid my salary for 3 months")
