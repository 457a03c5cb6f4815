"""Two topic classifiers fitted on the passages of every language at once.

Matching a question only against passages in its own language wastes what
the other five teach: the ways people ask in Spanish or Arabic say what a
topic is about, whatever the language of the question. Two linear models
learn from all of them:

- over the e5 sentence vectors (logistic regression), for paraphrase across
  languages;
- over character 2-4-grams (linear SVM), for word forms that whole-word
  BM25 misses: Arabic clitics, Tagalog and Indonesian affixes, typos.

This is not the retraining editors are spared. Fitting takes about 7 s on
a 2-core machine, in the process, from the database: the first time a
database is searched, and again in the background after an edit, while
answers use the previous fit. The other rankings in the fusion
(knowledge/search.py) see an edit at once. Fits are kept on disk by the
fingerprint of the passages they were made from (as plain arrays, not
pickles), so a restart loads the last one in well under a second.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import embeddings, normalize
from knowledge.store import connect

logger = logging.getLogger(__name__)

# Chosen on the development questions (tests/data/eval_questions.yaml and
# tests/data/dev/), never on the held-out set: C 30-1000 for the vectors and
# 0.2-1 for the characters all came within two questions of each other.
VECTORS_C = 100.0
CHARS_C = 0.5
CHAR_NGRAMS = (2, 4)


def _for_chars(text: str, lang: str) -> str:
    return normalize.for_search(text.lower(), lang)


@dataclass(frozen=True)
class Fitted:
    vectors: object  # sklearn LogisticRegression
    vectorizer: object  # sklearn TfidfVectorizer
    chars: object  # sklearn LinearSVC

    def rankings(self, text: str, lang: str, vector: np.ndarray) -> tuple[list[str], list[str]]:
        """Topics best first: by the sentence vector, by the characters."""
        return (_ranked(self.vectors, self.vectors.decision_function(vector[None])),
                _ranked(self.chars, self.chars.decision_function(self.vectorizer.transform([_for_chars(text, lang)]))))


def _ranked(model, scores: np.ndarray) -> list[str]:
    """Classes best first. With two classes scikit-learn gives one score,
    for the second class."""
    scores = np.atleast_1d(scores[0])
    if scores.shape[0] == 1:
        scores = np.array([-scores[0], scores[0]])
    return [model.classes_[i] for i in np.argsort(-scores, kind="stable")]


def _vectorizer(min_df: int = 1):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=min_df)


def fit(rows: list[tuple[str, str, str, bytes]]) -> Fitted | None:
    """From (topic_id, lang, text, vector) rows; None below two topics."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    labels = [topic for topic, _, _, _ in rows]
    if len(set(labels)) < 2:
        return None
    matrix = np.stack([embeddings.from_blob(vector) for _, _, _, vector in rows])
    vectors = LogisticRegression(C=VECTORS_C, max_iter=3000).fit(matrix, labels)
    vectorizer = _vectorizer(min_df=2 if len(rows) > 50 else 1)
    features = vectorizer.fit_transform([_for_chars(text, lang) for _, lang, text, _ in rows])
    chars = LinearSVC(C=CHARS_C, random_state=0).fit(features, labels)
    return Fitted(vectors, vectorizer, chars)


def to_bytes(fitted: Fitted) -> bytes:
    """The learned numbers only, float32: an .npz file, no pickle."""
    vocabulary = sorted(fitted.vectorizer.vocabulary_, key=fitted.vectorizer.vocabulary_.get)
    out = io.BytesIO()
    np.savez(out, vectors_classes=np.array(fitted.vectors.classes_, dtype=str),
             vectors_coef=fitted.vectors.coef_.astype(np.float32),
             vectors_intercept=fitted.vectors.intercept_.astype(np.float32),
             chars_classes=np.array(fitted.chars.classes_, dtype=str),
             chars_coef=fitted.chars.coef_.astype(np.float32),
             chars_intercept=fitted.chars.intercept_.astype(np.float32),
             vocabulary=np.array(vocabulary, dtype=str), idf=fitted.vectorizer.idf_.astype(np.float32))
    return out.getvalue()


def from_bytes(blob: bytes) -> Fitted:
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    arrays = np.load(io.BytesIO(blob), allow_pickle=False)
    vectors, chars = LogisticRegression(), LinearSVC()
    for model, name in ((vectors, "vectors"), (chars, "chars")):
        model.classes_ = arrays[f"{name}_classes"].astype(object)
        model.coef_ = arrays[f"{name}_coef"].astype(np.float64)
        model.intercept_ = arrays[f"{name}_intercept"].astype(np.float64)
        model.n_features_in_ = model.coef_.shape[1]
    vectorizer = _vectorizer()
    vectorizer.vocabulary_ = {gram: i for i, gram in enumerate(arrays["vocabulary"].tolist())}
    vectorizer.idf_ = arrays["idf"].astype(np.float64)
    return Fitted(vectors, vectorizer, chars)


# The last few fits on disk, next to the passage vectors' cache.
# CLASSIFIER_CACHE= (empty) turns it off.
KEEP_ON_DISK = 6


def _disk() -> sqlite3.Connection | None:
    default = Path.home() / ".cache" / "migrant-assistant" / "classifiers.db"
    value = os.environ.get("CLASSIFIER_CACHE", str(default))
    if not value:
        return None
    try:
        Path(value).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(value, timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS fits (fingerprint TEXT PRIMARY KEY, data BLOB, at REAL)")
        return conn
    except (OSError, sqlite3.Error):
        return None  # a cache, never a reason to fail


def _load_or_fit(fingerprint: str, rows) -> Fitted | None:
    """Always through the stored form, so a loaded fit ranks exactly as a fresh one."""
    import time

    conn = _disk()
    try:
        row = conn.execute("SELECT data FROM fits WHERE fingerprint = ?", (fingerprint,)).fetchone() if conn else None
        if row:
            return from_bytes(row[0])
        fitted = fit(rows)
        if fitted is None:
            return None
        blob = to_bytes(fitted)
        if conn:
            with conn:
                conn.execute("INSERT OR REPLACE INTO fits VALUES (?, ?, ?)", (fingerprint, blob, time.time()))
                conn.execute("DELETE FROM fits WHERE fingerprint NOT IN "
                             "(SELECT fingerprint FROM fits ORDER BY at DESC LIMIT ?)", (KEEP_ON_DISK,))
        return from_bytes(blob)
    except sqlite3.Error:
        return fit(rows)
    finally:
        if conn:
            conn.close()


def _passage_rows(db_path: Path) -> list[tuple[str, str, str, bytes]]:
    with connect(db_path) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT topic_id, lang, text, vector FROM passages ORDER BY topic_id, lang, text")]


# What a fit depends on besides the passages: a stored fit made with other
# vectors or settings is never used. Bump FORMAT when to_bytes changes.
FORMAT = 1


def _fingerprint(rows) -> str:
    digest = hashlib.sha256(repr((FORMAT, embeddings.MODEL_ID, embeddings.DIM, VECTORS_C, CHARS_C, CHAR_NGRAMS,
                                  normalize.VERSION)).encode())
    for topic, lang, text, _ in rows:
        digest.update(f"{topic}\x1f{lang}\x1f{text}\x1e".encode())
    return digest.hexdigest()


class _Cache:
    """One fit per set of passages: copies of a database share it; after an
    edit the refit runs in the background and the previous fit serves."""

    KEEP = 4  # fits kept, oldest dropped first

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # path -> (mtime, fingerprint of its passages, the fit last served for it)
        self._files: dict[str, tuple[float, str, Fitted | None]] = {}
        self._fits: dict[str, Fitted | None] = {}
        self._fitting: dict[str, threading.Event] = {}

    def get(self, db_path: Path) -> Fitted | None:
        key, mtime = str(db_path), db_path.stat().st_mtime
        with self._lock:
            known = self._files.get(key)
            unchanged = known is not None and known[0] == mtime
        if unchanged:
            fingerprint = known[1]
        else:
            rows = _passage_rows(db_path)
            fingerprint = _fingerprint(rows)
        with self._lock:
            state = (mtime, fingerprint, known[2] if known else None)
            self._files[key] = state
            if fingerprint not in self._fits and fingerprint not in self._fitting:
                if unchanged:  # its fit was dropped, or failed to start: read again
                    rows = _passage_rows(db_path)
                self._fitting[fingerprint] = threading.Event()
                threading.Thread(target=self._fit, args=(fingerprint, rows), daemon=True,
                                 name="topic-classifier-fit").start()
            started = self._fitting.get(fingerprint)
            if started is None or state[2] is not None:
                return self._served(key, state)
        started.wait()  # the first fit for this file: nothing older to serve
        with self._lock:
            return self._served(key, self._files[key])

    def _served(self, key: str, state) -> Fitted | None:
        """The fit for the file's passages if ready, else the one before."""
        mtime, fingerprint, serving = state
        if fingerprint in self._fits:
            serving = self._fits[fingerprint]
            self._files[key] = (mtime, fingerprint, serving)
        return serving

    def _fit(self, fingerprint: str, rows) -> None:
        try:
            fitted = _load_or_fit(fingerprint, rows)
        except Exception:  # a failed fit leaves BM25 and dense search working
            logger.exception("could not fit the topic classifiers")
            fitted = None
        with self._lock:
            self._fits[fingerprint] = fitted
            in_use = {f for _, f, _ in self._files.values()} | {fingerprint}
            for old in [f for f in self._fits if f not in in_use][:max(0, len(self._fits) - self.KEEP)]:
                del self._fits[old]  # oldest first, never one a file still needs
            self._fitting.pop(fingerprint).set()


_cache = _Cache()


def get(db_path: Path) -> Fitted | None:
    """The classifiers for this database, fitting them on first use."""
    return _cache.get(db_path)
