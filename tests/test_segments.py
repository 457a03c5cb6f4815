"""SMS segment counting, at the edges."""
import pytest

from knowledge.segments import is_gsm7, length, segments


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
        ("€" * 80, 1), ("€" * 81, 2), ("a" * 159 + "€", 2),  # extension chars take two septets
        ("ñ" * 160, 1), ("é" * 160, 1),  # in the GSM basic table
        ("á" * 70, 1), ("á" * 71, 2), ("á" * 134, 2), ("á" * 135, 3),  # á is not: UCS-2
        ("ش" * 70, 1), ("ش" * 71, 2), ("ش" * 201, 3), ("ش" * 202, 4),
        ("😀" * 35, 1), ("😀" * 36, 2),  # outside the BMP: two UTF-16 units each
        ("", 1),
    ],
)
def test_segments(text, expected):
    assert segments(text) == expected


def test_encoding_detection():
    assert is_gsm7("Hello @ £5 {ok}")
    assert not is_gsm7("“curly quotes”")
    assert length("[]") == ("gsm7", 4)
    assert length("مرحبا") == ("ucs2", 5)


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cut_replies_fit_and_lose_no_word(lang, limit):
    from api.sms_render import cut
    from locales import gettext_for

    hint = gettext_for(lang)("Reply MORE for the rest.")
    text = ("Paragraph one has some words.\n\n" + "word " * 90 + "\n\nLast line " + "ñ" * 10) * 2
    chunks, rest = [], text
    while rest:
        head, rest = cut(rest, lang, limit)
        assert segments(head) <= limit
        chunks.append(head.replace("\n" + hint, "") if rest else head)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())
