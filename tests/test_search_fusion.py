"""Fused search: the classifiers learn from every language, but answers are
only topics written in the user's language, the similarity the bot's
thresholds use stays that language's, and an edit never waits for a refit."""
import os
import shutil
import sqlite3
import time

import pytest

from knowledge import classifier, schema, search


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


def test_a_topic_missing_in_the_language_is_never_the_answer(knowledge_db, tmp_path):
    db = tmp_path / "partial.db"
    shutil.copy(knowledge_db, db)
    question = "الطبيب رفض رؤيتي لأن تأشيرتي انتهت"
    topic = search.search(db, question, "ar", limit=1)[0].topic_id
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM passages WHERE lang = 'ar' AND topic_id = ?", (topic,))
        conn.execute(f"DELETE FROM {schema.fts_table('ar')} WHERE topic_id = ?", (topic,))
    # The classifiers still know the topic from the other languages...
    assert topic in classifier.get(db).vectors.classes_
    # ...but only what is written in Arabic can answer in Arabic.
    assert topic not in {hit.topic_id for hit in search.search(db, question, "ar", limit=100)}


def test_copies_share_a_fit_and_an_edit_refits_in_the_background(knowledge_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(knowledge_db, db)
    first = classifier.get(knowledge_db)
    assert first is not None and classifier.get(db) is first  # the same passages
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM passages WHERE topic_id = 'rights.fair_pay'")
    later = time.time() + 2
    os.utime(db, (later, later))  # a new mtime even on coarse clocks
    started = time.monotonic()
    assert classifier.get(db) is first  # served at once while the refit runs
    assert time.monotonic() - started < 2
    deadline = time.monotonic() + 120
    while classifier.get(db) is first and time.monotonic() < deadline:
        time.sleep(0.5)
    refit = classifier.get(db)
    assert refit is not first
    assert "rights.fair_pay" not in refit.vectors.classes_
    assert "rights.fair_pay" in first.vectors.classes_
    assert search.search(db, "my employer pays me less than the others", "en", limit=100)
    assert "rights.fair_pay" not in {h.topic_id for h in search.search(db, "they did not pay my salary", "en", limit=100)}


def test_a_fit_stored_on_disk_ranks_exactly_as_a_fresh_one(knowledge_db):
    """Stored as float32 arrays (no pickle); what serves is always the
    stored form, so a restart cannot change an answer."""
    from knowledge import embeddings

    served = classifier.get(knowledge_db)
    fresh = classifier.fit(classifier._passage_rows(knowledge_db))
    reloaded = classifier.from_bytes(classifier.to_bytes(fresh))
    for lang, question in [("en", "my boss took my passport"), ("tl", "hindi binabayaran ang sahod ko"),
                           ("ar", "الكفيل ما عطاني راتبي"), ("id", "majikan menahan paspor saya")]:
        vector = embeddings.embed_query(question)
        assert served.rankings(question, lang, vector) == reloaded.rankings(question, lang, vector)
        by_vector, by_chars = fresh.rankings(question, lang, vector)
        assert reloaded.rankings(question, lang, vector)[0][:3] == by_vector[:3]
        assert reloaded.rankings(question, lang, vector)[1][:3] == by_chars[:3]


def test_two_topics_rank_by_the_question_and_a_broken_fit_never_stops_a_search(tmp_path, knowledge_db, monkeypatch):
    """With two classes scikit-learn gives one score; a fit that raises (say,
    made with other vectors) leaves BM25 and the dense ranking answering."""
    rows = [r for r in classifier._passage_rows(knowledge_db)
            if r[0] in ("rights.fair_pay", "rights.identity_documents")]
    two = classifier.fit(rows)
    from knowledge import embeddings

    for question, topic in (("my employer has not paid my salary", "rights.fair_pay"),
                            ("my employer took my passport", "rights.identity_documents")):
        by_vector, by_chars = two.rankings(question, "en", embeddings.embed_query(question))
        assert by_vector[0] == topic and sorted(by_vector) == sorted(two.vectors.classes_)

    class Broken:
        def rankings(self, *args):
            raise ValueError("shapes (33,384) and (512,) not aligned")

    monkeypatch.setattr(classifier, "get", lambda db_path: Broken())
    hits = search.search(knowledge_db, "my employer took my passport", "en")
    assert hits and hits[0].topic_id == "rights.identity_documents"
