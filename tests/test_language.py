"""Language identification and switching (locales/detect.py)."""
import pytest

from locales.detect import choose_language, detect, requested_language


@pytest.mark.parametrize(
    "text, lang",
    [
        ("my boss kept my passport, is that allowed?", "en"),
        ("mi jefe se quedó con mi pasaporte, ¿eso está permitido?", "es"),
        ("mi jefe se quedo con mi pasaporte eso esta permitido", "es"),
        ("mon patron a gardé mon passeport, est-ce qu'il a le droit ?", "fr"),
        ("صاحب العمل أخذ جواز سفري، هل هذا مسموح؟", "ar"),
        ("kafil a5ad el passport mta3i", "ar"),
        ("3andi mochkil m3a l5edma", "ar"),
        ("kinuha ng amo ko ang passport ko, pwede ba yun?", "tl"),
        ("hindi ako binabayaran ng sahod ko", "tl"),
        ("majikan saya menahan paspor saya, apakah boleh?", "id"),
        ("gaji saya tidak dibayar selama tiga bulan", "id"),
    ],
)
def test_detects_the_supported_languages_confidently(text, lang):
    found = detect(text)
    assert (found.language, found.confident) == (lang, True)


@pytest.mark.parametrize("text", ["ok", "hola", "merci", "salam", "thanks", "1234", "?"])
def test_short_input_is_never_confident(text):
    assert not detect(text).confident


@pytest.mark.parametrize(
    "text",
    ["o meu patrão ficou com o meu passaporte", "Мой начальник забрал мой паспорт", "雇主拿走了我的护照"],
)
def test_unsupported_languages_are_recognised_as_such(text):
    found = detect(text)
    assert found.unsupported and found.language is None


@pytest.mark.parametrize(
    "text, lang",
    [("español", "es"), ("Espanol por favor", "es"), ("in English please", "en"), ("بالعربية", "ar"),
     ("en français svp", "fr"), ("arabe", "ar"), ("Spanish", "es"), ("عربي", "ar")],
)
def test_language_requests_in_words(text, lang):
    assert requested_language(text) == lang


def test_a_long_message_naming_a_language_is_not_a_request():
    assert requested_language("I speak English but my boss took my passport and my visa") is None


def test_short_ambiguous_input_keeps_the_conversation_language():
    choice = choose_language("ok", "ar")
    assert (choice.language, choice.switched, choice.menu) == ("ar", False, False)
    assert choose_language("merci", "es").language == "es"


def test_clear_evidence_switches_the_language():
    choice = choose_language("my employer has not paid me for three months", "es")
    assert (choice.language, choice.switched) == ("en", True)


def test_explicit_choice_wins():
    choice = choose_language("my employer has not paid me", "en", explicit="fr")
    assert (choice.language, choice.switched) == ("fr", True)


def test_first_message_uses_a_weak_guess_and_unknown_gets_the_menu():
    assert choose_language("hola", None).language == "es"
    assert choose_language("Мой начальник забрал мой паспорт", None).menu
    assert choose_language("!!!", None).menu
    # an unsupported language mid-conversation: menu, language unchanged
    choice = choose_language("o meu patrão ficou com o meu passaporte", "fr")
    assert (choice.language, choice.menu) == ("fr", True)


@pytest.mark.parametrize(
    "text", ["Mein Chef hat meinen Pass genommen, ist das erlaubt?", "Seful meu mi-a luat pasaportul, este legal?"]
)
def test_european_languages_we_do_not_speak_get_the_menu(text):
    assert choose_language(text, None).menu


@pytest.mark.parametrize("text", ["I am Filipino", "I am from Indonesia", "soy indonesia", "أنا فلبينية"])
def test_a_nationality_is_not_a_request_for_a_language(text):
    assert requested_language(text) is None


@pytest.mark.parametrize("text, lang", [("Tagalog po", "tl"), ("bahasa indonesia", "id"), ("in tagalog please", "tl")])
def test_tagalog_and_indonesian_are_asked_for_by_name(text, lang):
    assert requested_language(text) == lang
