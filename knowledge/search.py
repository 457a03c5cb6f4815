"""Choose the topic a question is about: full-text rank fused with meaning.

BM25 (SQLite FTS5) finds shared words; multilingual-e5 vectors find
paraphrases ("he took my papers" ~ "identity documents"). Reciprocal rank
fusion combines the two rankings; the dense similarity of the best passage
tells whether anything matches at all. Questions are matched against content
in the user's own language (the encoder is weaker across languages).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import embeddings, normalize, schema
from knowledge.store import connect
from locales import DEFAULT_LANGUAGE

RRF_K = 10  # 5-60 gave the same accuracy; equal weights beat favouring dense
TOP_PASSAGES = 2
MODES = ("hybrid", "fts", "dense")


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


def dense_ranking(db_path: Path, text: str, lang: str) -> list[tuple[str, float]]:
    ids, matrix = _passages.get(db_path, lang)
    if not ids:
        return []
    scores = matrix @ embeddings.embed_query(text)
    per_topic: dict[str, list[float]] = {}
    for topic_id, score in zip(ids, scores.tolist(), strict=True):
        per_topic.setdefault(topic_id, []).append(score)
    # Mean of a topic's two best passages: one lucky passage is not enough.
    ranked = {t: sum(sorted(s)[-TOP_PASSAGES:]) / min(TOP_PASSAGES, len(s)) for t, s in per_topic.items()}
    return sorted(ranked.items(), key=lambda item: item[1], reverse=True)


def search(db_path: Path | str, text: str, lang: str, *, mode: str = "hybrid", limit: int = 3) -> list[Hit]:
    """Topics ranked for `text` in `lang`, best first."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    db_path = Path(db_path)
    if not _passages.get(db_path, lang)[0]:
        lang = DEFAULT_LANGUAGE  # nothing written in this language yet
    dense = dense_ranking(db_path, text, lang) if mode != "fts" else []
    similarity = dict(dense)
    fts = fts_ranking(db_path, text, lang) if mode != "dense" else []
    fused: dict[str, float] = {}
    for ranking in ([topic for topic, _ in dense], fts):
        for rank, topic_id in enumerate(ranking):
            fused[topic_id] = fused.get(topic_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    ranked = sorted(fused.items(), key=lambda item: item[1], reverse=True)[:limit]
    return [Hit(topic_id, score, similarity.get(topic_id, 0.0)) for topic_id, score in ranked]
