"""The English ("pivot") ranking in hybrid search: it only reorders topics,
and the similarity the bot's thresholds use stays the user's language's."""
import shutil
import sqlite3

import pytest

from knowledge import schema, search


def test_english_hybrid_is_unchanged(knowledge_db):
    question = "my employer took my passport"
    assert search.search(knowledge_db, question, "en") == search.search(knowledge_db, question, "en", mode="own")


@pytest.mark.parametrize("lang, question", [
    ("ar", "الطبيب رفض رؤيتي لأن تأشيرتي انتهت"),
    ("es", "el medico no me quiso ver porque mi visa vencio"),
    ("fr", "mon patron a gardé mon passeport"),
])
def test_similarity_stays_in_the_users_language(knowledge_db, lang, question):
    own = dict(search.dense_ranking(knowledge_db, question, lang))
    hits = search.search(knowledge_db, question, lang, limit=5)
    assert hits
    for hit in hits:
        assert hit.similarity == pytest.approx(own[hit.topic_id], abs=1e-6)


def test_pivot_never_brings_a_topic_missing_in_the_language(knowledge_db, tmp_path):
    db = tmp_path / "partial.db"
    shutil.copy(knowledge_db, db)
    question = "الطبيب رفض رؤيتي لأن تأشيرتي انتهت"
    topic = search.search(db, question, "ar", limit=1)[0].topic_id
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM passages WHERE lang = 'ar' AND topic_id = ?", (topic,))
        conn.execute(f"DELETE FROM {schema.fts_table('ar')} WHERE topic_id = ?", (topic,))
    assert topic not in {t for t, _ in search.dense_ranking(db, question, "ar")}
    assert topic not in search.fts_ranking(db, question, "ar", limit=100)
    assert topic not in {hit.topic_id for hit in search.search(db, question, "ar", limit=100)}
