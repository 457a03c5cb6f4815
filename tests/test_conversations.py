"""Multi-turn conversations in each language, real model, real server."""
import pytest

from knowledge import store
from locales import SUPPORTED_LANGUAGES, gettext_for

TURNS = {
    "en": ("hi there", "my boss kept my passport, is that allowed?",
           "my employer has not paid my salary for two months", "thank you so much", "bye"),
    "es": ("hola buenas", "mi jefe se quedó con mi pasaporte, ¿eso está permitido?",
           "mi patron no me ha pagado el sueldo desde hace dos meses", "muchas gracias", "adios"),
    "fr": ("bonjour", "mon patron a gardé mon passeport, est-ce que c'est permis ?",
           "mon employeur ne m'a pas payé mon salaire depuis deux mois", "merci beaucoup", "au revoir"),
    "ar": ("مرحبا", "صاحب العمل أخذ جواز سفري، هل هذا مسموح؟",
           "صاحب العمل لم يدفع راتبي منذ شهرين", "شكرا جزيلا", "مع السلامة"),
}


def _texts(body):
    return "\n".join(m["text"] for m in body["messages"])


@pytest.mark.parametrize("lang", TURNS)
def test_conversation(server, knowledge_db, lang):
    _ = gettext_for(lang)
    sender = f"conversation-{lang}"
    greet, passport, wages, thanks, bye = TURNS[lang]

    body = server.chat(sender, greet)
    assert body["language"] == lang
    assert _("What would you like to know?") in _texts(body) or body["messages"][0]["buttons"]

    body = server.chat(sender, passport)
    assert (body["language"], body["topic"]) == (lang, "rights.identity_documents")
    expected = store.topic_text(knowledge_db, "rights.identity_documents", lang)
    answer = body["messages"][0]["text"]
    assert expected.title in answer and "ICRMW art. 21" in answer
    assert _(
        "The law of the country where you are may give you more rights. "
        "Local help services can explain the details."
    ) in answer
    offer = body["messages"][-1]
    assert [b["payload"] for b in offer["buttons"]] == [
        f'/ask_help{{"service_category": "{c}"}}' for c in body["service_categories"]
    ]

    # Choosing an offered help category
    legal = next(b for b in offer["buttons"] if "legal_aid" in b["payload"])
    body = server.chat(sender, legal["payload"])
    assert body["service_categories"] == ["legal_aid"] and body["language"] == lang

    body = server.chat(sender, wages)
    assert (body["language"], body["topic"]) == (lang, "rights.fair_pay")
    assert "ICRMW art. 25" in body["messages"][0]["text"]

    body = server.chat(sender, thanks)
    assert body["language"] == lang and _texts(body) == _("You are welcome. Is there anything else you want to know?")

    body = server.chat(sender, bye)
    assert body["language"] == lang and _texts(body) == _("Take care. You can write to me again at any time.")


def test_switching_language_mid_conversation(server):
    sender = "switcher"
    assert server.chat(sender, "my boss kept my passport, is that allowed?")["language"] == "en"
    body = server.chat(sender, "español por favor")
    assert body["language"] == "es"
    assert _texts(body) == gettext_for("es")("OK, I will write in English. What would you like to know?")
    assert server.chat(sender, "ok")["language"] == "es"  # short input does not flip
    body = server.chat(sender, "mon employeur ne me paie pas depuis deux mois")
    assert (body["language"], body["topic"]) == ("fr", "rights.fair_pay")
    body = server.chat(sender, '/change_language{"language": "ar"}')
    assert body["language"] == "ar"
    assert server.chat(sender, "thanks")["language"] == "ar"


def test_unknown_language_gets_the_language_menu(server):
    body = server.chat("menu", "Мой начальник забрал мой паспорт")
    payloads = [b["payload"] for b in body["messages"][0]["buttons"]]
    assert payloads == [f'/change_language{{"language": "{c}"}}' for c in SUPPORTED_LANGUAGES]


def test_language_is_kept_across_a_restart(tmp_path, model_path, knowledge_db):
    import sqlite3

    from tests.conftest import start_server

    def stored_events() -> int:
        with sqlite3.connect(data / "tracker.db") as conn:
            return conn.execute("SELECT count(*) FROM events").fetchone()[0]

    data = tmp_path / "data"
    first = start_server(data, model_path, knowledge_db)
    try:
        assert first.chat("persist", "mi jefe no me paga el salario")["language"] == "es"
    finally:
        first.stop()
    before = stored_events()
    assert before > 0
    second = start_server(data, model_path, knowledge_db)
    try:
        assert second.chat("persist", "ok")["language"] == "es"
    finally:
        second.stop()
    assert stored_events() > before


def test_emergency_gets_the_emergency_advice_first(server):
    body = server.chat("danger-en", "he is beating me right now please help")
    assert body["messages"][0]["text"].startswith(gettext_for("en")("If you or someone else is in danger now")[:30])
    assert "emergency" in body["service_categories"]


def test_off_topic_gets_suggestions_and_a_suggestion_answers(server):
    import json

    body = server.chat("off-topic", "tell me a joke about football")
    assert body["topic"] is None
    buttons = body["messages"][0]["buttons"]
    assert buttons and all(b["payload"].startswith("/ask_right{") for b in buttons)
    chosen = json.loads(buttons[0]["payload"][len("/ask_right"):])["topic"]
    body = server.chat("off-topic", buttons[0]["payload"])
    assert body["topic"] == chosen and body["language"] == "en"
