"""Choose the topic a question is about: three rankings, fused.

BM25 (SQLite FTS5) finds the question's words in the topic's text in the
user's language. Two classifiers fitted on the passages of every language
(knowledge/classifier.py) add what the other languages' ways of asking
teach, by meaning (e5 vectors) and by spelling (character n-grams).
Reciprocal rank fusion combines the three at equal weights. The
multilingual-e5 similarity of the question to the topic's passages in the
user's own language tells the bot whether anything matches at all, and
ranks in the classifiers' place when they cannot.

Development questions (tests/data/eval_questions.yaml and tests/data/dev/,
`make eval DEV=1`), top-1 among 33 topics, en/es/fr/ar/tl/id: the earlier
fusion (BM25, own-language dense, English dense at half weight)
90.3/91.7/93.1/86.5/84.4/85.4%; this one 93.1/94.4/97.2/92.9/95.8/94.8%.
Before the longer Arabic questions were added (576 questions), the
own-language dense ranking at weight 0.25 or 0.5 gave the same total (546),
at 1.0 fewer (534); other weights moved the mean by about one point.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import classifier, embeddings, normalize, schema
from knowledge.store import connect
from locales import DEFAULT_LANGUAGE

logger = logging.getLogger(__name__)
RRF_K = 10  # 5-60 gave the same accuracy
TOP_PASSAGES = 2
# "dense", "vectors" and "chars" alone are kept to compare in tests/eval_retrieval.py.
MODES = ("hybrid", "fts", "dense", "vectors", "chars")


@dataclass(frozen=True)
class Hit:
    topic_id: str
    score: float  # fused score, only comparable within one search
    similarity: float  # cosine of the best matching passage (0 when unknown)


class _Passages:
    """Passage vectors per language, reloaded when the database file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[float, list[str], np.ndarray]] = {}

    def get(self, db_path: Path, lang: str) -> tuple[list[str], np.ndarray]:
        key = (str(db_path), lang)
        mtime = db_path.stat().st_mtime
        with self._lock:
            cached = self._cache.get(key)
            if cached and cached[0] == mtime:
                return cached[1], cached[2]
        with connect(db_path) as conn:
            rows = conn.execute(
                "SELECT topic_id, vector FROM passages WHERE lang = ?", (lang,)
            ).fetchall()
        ids = [r["topic_id"] for r in rows]
        matrix = (
            np.stack([embeddings.from_blob(r["vector"]) for r in rows])
            if rows
            else np.zeros((0, embeddings.DIM), dtype=np.float32)
        )
        with self._lock:
            self._cache[key] = (mtime, ids, matrix)
        return ids, matrix


_passages = _Passages()


def _fts_query(text: str, lang: str) -> str | None:
    words = re.findall(r"\w+", normalize.for_search(text.lower(), lang))
    words = [w for w in words if len(w) > 1]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words)) or None


def fts_ranking(db_path: Path, text: str, lang: str, limit: int = 10) -> list[str]:
    query = _fts_query(text, lang)
    if not query:
        return []
    table = schema.fts_table(lang)
    with connect(db_path) as conn:
        rows = conn.execute(
            f"SELECT topic_id FROM {table} WHERE {table} MATCH ? "
            f"ORDER BY bm25({table}, 2.0, 1.0, 1.5) LIMIT ?",
            (query, limit),
        ).fetchall()
    return [r["topic_id"] for r in rows]


def _topic_scores(ids: list[str], scores: np.ndarray) -> list[tuple[str, float]]:
    per_topic: dict[str, list[float]] = {}
    for topic_id, score in zip(ids, scores.tolist(), strict=True):
        per_topic.setdefault(topic_id, []).append(score)
    # Mean of a topic's two best passages: one lucky passage is not enough.
    ranked = {t: sum(sorted(s)[-TOP_PASSAGES:]) / min(TOP_PASSAGES, len(s)) for t, s in per_topic.items()}
    return sorted(ranked.items(), key=lambda item: item[1], reverse=True)


def dense_ranking(db_path: Path, text: str, lang: str, vector: np.ndarray | None = None) -> list[tuple[str, float]]:
    """Topics by the dense similarity of their passages in `lang`; `vector`
    is the query's, when already computed."""
    ids, matrix = _passages.get(db_path, lang)
    if not ids:
        return []
    if vector is None:
        vector = embeddings.embed_query(text)
    return _topic_scores(ids, matrix @ vector)


def _classifiers(db_path: Path) -> classifier.Fitted | None:
    try:
        return classifier.get(db_path)
    except Exception:
        logger.exception("topic classifiers unavailable")
        return None


def search(db_path: Path | str, text: str, lang: str, *, mode: str = "hybrid", limit: int = 3) -> list[Hit]:
    """Topics ranked for `text` in `lang`, best first."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    db_path = Path(db_path)
    written = set(_passages.get(db_path, lang)[0])
    if not written:
        lang = DEFAULT_LANGUAGE  # nothing written in this language yet
        written = set(_passages.get(db_path, lang)[0])
    vector = embeddings.embed_query(text) if mode != "fts" else None
    dense = dense_ranking(db_path, text, lang, vector) if vector is not None else []
    similarity = dict(dense)  # the bot's thresholds were read off it
    rankings: list[list[str]] = []
    if mode in ("hybrid", "fts"):
        rankings.append(fts_ranking(db_path, text, lang))
    fitted = _classifiers(db_path) if mode in ("hybrid", "vectors", "chars") else None
    if fitted is not None:
        try:
            by_vector, by_chars = fitted.rankings(text, lang, vector)
        except Exception:  # never a reason not to answer: the dense ranking stands in
            logger.exception("topic classifiers failed")
            by_vector = by_chars = []
            fitted = None
        if mode in ("hybrid", "vectors"):
            rankings.append(by_vector)
        if mode in ("hybrid", "chars"):
            rankings.append(by_chars)
    if mode == "dense" or (mode == "hybrid" and fitted is None):
        # Also what still ranks when the classifiers cannot: a single topic,
        # a failed fit, a question in a language with no texts yet.
        rankings.append([topic for topic, _ in dense])
    fused: dict[str, float] = {}
    for ranking in rankings:
        # Only topics written in the user's language: those are the answers.
        for rank, topic_id in enumerate(t for t in ranking if t in written):
            fused[topic_id] = fused.get(topic_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    # Ties keep the order rankings were added in (sorted() is stable).
    ranked = sorted(fused.items(), key=lambda item: item[1], reverse=True)[:limit]
    return [Hit(topic_id, score, similarity.get(topic_id, 0.0)) for topic_id, score in ranked]
