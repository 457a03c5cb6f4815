"""Spellings people actually type must meet the content's spelling in the index."""
from __future__ import annotations

import sqlite3

import pytest

from knowledge import schema
from knowledge.normalize import for_search


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("اقامه", "الإقامة"),  # no hamza, ه for ة, no article
        ("وجوازي", "جوازي"),  # conjunction glued on
        ("بالراتب", "الراتب"),
        ("للكفيل", "الكفيل"),
        ("والشركة", "شركة"),
        ("مسوول", "المسؤول"),  # hamza seat typed bare
        ("جَوَاز", "جواز"),  # harakat
        ("جـــواز", "جواز"),  # tatweel
        ("مستشفى", "مستشفي"),
    ],
)
def test_arabic_variants_meet(typed, written):
    assert for_search(typed, "ar") == for_search(written, "ar")


@pytest.mark.parametrize("word", ["بلدي", "وقت", "فقط", "لدي"])
def test_short_arabic_words_keep_their_first_letter(word):
    # "بلدي" (my country) must not become "لدي" (I have).
    assert for_search(word, "ar") == word


def test_arabic_harakat_do_not_split_a_word_in_the_index():
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{schema.FTS_TOKENIZER}')")
    conn.execute("INSERT INTO t VALUES (?)", (for_search("احتفظ صاحب العمل بجَوَازِ سفري وبطاقة الإقامة", "ar"),))
    for query in ("جواز", "اقامه", "والاقامة"):
        match = f'"{for_search(query, "ar")}"'
        assert conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()[0] == 1, query


def test_english_drops_only_a_plural_s():
    assert for_search("Passports", "en") == for_search("passport", "en")
    assert for_search("class status bus crisis", "en") == "class status bus crisis"


@pytest.mark.parametrize("lang", ["es", "fr", "tl", "id"])
def test_other_languages_unchanged(lang):
    text = "Mis pasaportes, les employeurs: pasaporte ko, paspor saya. ¿Qué?"
    assert for_search(text, lang) == text
