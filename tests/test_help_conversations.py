"""Finding help in the conversation: the bot asks only for what it lacks,
remembers it, answers with directory entries, and treats danger first."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from directory import transfer
from knowledge.build import load_notes
from locales import gettext_for
from tests.test_sms import Phone

DATA = Path(__file__).parent / "data"
_users = itertools.count(1)


def user() -> str:
    return f"help-user-{next(_users)}"


def texts(reply: dict) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def test_consulate_by_nationality_in_one_message(server):
    reply = server.chat(user(), "I am Filipino and I work in Dubai, where is my consulate?")
    assert reply["service_categories"] == ["consulate"]
    text = texts(reply)
    assert "Philippine Consulate General in Dubai" in text and "+971 4 220 7100" in text
    assert "Last verified on" in text  # the source is older than a year


def test_a_rights_question_the_nlu_mistakes_for_an_emergency_is_answered(server):
    """DIET classed this "emergency" (0.88); the phrase lists find no danger:
    the answer is the rights topic, with where to call if it is urgent."""
    reply = server.chat(user(), "I am Filipino and I work in Dubai, my employer has not paid me", language="en")
    assert reply["topic"] == "rights.fair_pay" and not reply["escalated"]
    text = texts(reply)
    assert not text.startswith("Call 999") and "If you are in danger now, call 999." in text
    assert "MOHRE" in text  # the UAE note of the fair pay topic


@pytest.mark.parametrize("lang, message", [("ar", "أنا في دبي"), ("en", "my phone died"), ("es", "estoy en Dubai")])
def test_an_emergency_the_lists_do_not_confirm_is_not_told_to_call_now(server, lang, message):
    """Whatever the NLU makes of it: no alarm, no "Call 999 now."; if it
    said emergency, where to call if it is urgent, then the help on offer."""
    reply = server.chat(user(), message, language=lang, country="AE")
    assert not reply["escalated"]
    call_now = gettext_for(lang)("Call {number} now.").split("{")[0]
    assert call_now not in texts(reply), texts(reply)


def test_the_bot_asks_one_thing_at_a_time_and_remembers(server):
    me = user()
    assert "¿De qué país es usted?" in texts(server.chat(me, "Necesito el teléfono de mi embajada", language="es"))
    assert "¿Dónde está ahora?" in texts(server.chat(me, "Soy filipina"))
    answer = texts(server.chat(me, "Vivo en Barcelona"))
    assert answer.index("Barcelona") < answer.index("Embassy of the Philippines in Spain")  # the local one first
    assert "Idiomas: español, inglés y tagalo" in answer
    # Remembered: the next request does not ask again.
    assert "¿Dónde está ahora" not in texts(server.chat(me, "necesito un albergue"))


def test_arabic_consulate_request(server):
    reply = server.chat(user(), "أنا فلبينية وأعمل في دبي، أين قنصلية بلدي؟")
    assert reply["language"] == "ar"
    text = texts(reply)
    assert "\u2068+971 4 220 7100\u2069" in text  # isolated inside right-to-left text
    assert "مواطنو الفلبين" in text


def test_nothing_verified_is_said_honestly(server):
    text = texts(server.chat(user(), "Je suis marocain et j'habite à Madrid, où est mon consulat ?"))
    assert "pas encore de contact vérifié" in text and "112" in text


def test_rights_answer_ends_with_help_in_the_users_country(server):
    reply = server.chat(user(), "My employer has not paid my salary for three months", country="ES")
    assert reply["topic"] == "rights.fair_pay"
    assert "Help in Spain:" in texts(reply) and "+34 900 105 090" in texts(reply)


MESSAGES = yaml.safe_load((DATA / "emergency_messages.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", sorted(MESSAGES))
def test_danger_gets_the_number_first_and_escalates(server, lang):
    for message in MESSAGES[lang]["danger"]:
        reply = server.chat(user(), message, language=lang, country="AE")
        assert reply["escalated"], message
        assert "999" in reply["messages"][0]["text"], message
    for message in MESSAGES[lang]["harmless"]:
        reply = server.chat(user(), message, language=lang, country="AE")
        assert not reply["escalated"], message


def test_danger_with_unknown_country_asks_for_it_in_the_same_reply(server):
    me = user()
    first = server.chat(me, "he is beating me, help")
    assert first["escalated"]
    assert "local emergency number" in first["messages"][0]["text"]
    assert "Which country are you in?" in first["messages"][0]["text"]
    follow = server.chat(me, "Spain")
    assert "Call 112 now." in texts(follow) and follow["escalated"]


def test_directory_edits_are_live_without_restart(server):
    transfer.import_services(server.data_dir / "directory.db", transfer.read_yaml((DATA / "directory_demo.yaml").read_text()))
    text = texts(server.chat(user(), "necesito un abogado gratis en Madrid", language="es"))
    assert "Demo free legal clinic, Madrid" in text
    assert "DATOS DE DEMOSTRACIÓN" in text
    assert "Abierto las 24 horas" in text and "+34 612 34 56 78" in text


def test_sms_gets_the_compact_form(server):
    phone = Phone(server, "+971509998877")
    reply = phone.send("I am Filipino and I live in Dubai. Number of my embassy?")
    assert "1) " in reply and "+971 4 220 7100" in reply
    assert "Languages:" not in reply


@pytest.mark.parametrize("lang, message, topic, country", [
    ("ar", "أنا في قطر والكفيل أخذ جوازي، هل هذا مسموح؟", "rights.identity_documents", "QA"),
    ("es", "Trabajo en España sin papeles y el patrón no me paga lo que trabajé", "rights.fair_pay", "ES"),
    ("fr", "Je vis en Italie sans papiers, mon fils peut aller à l'école ?", "rights.children_education", "IT"),
])
def test_the_country_in_the_question_brings_its_note(server, lang, message, topic, country):
    """The universal answer plus the note for the country the user names, in
    the user's language, with its source."""
    note = next(n for n in load_notes() if (n["topic_id"], n["country"], n["lang"]) == (topic, country, lang))
    reply = server.chat(user(), message, language=lang)
    assert reply["topic"] == topic, texts(reply)
    assert note["text"] in texts(reply) and note["source_url"] in texts(reply)
