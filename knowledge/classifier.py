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
(knowledge/search.py) see an edit at once.
"""
from __future__ import annotations

import hashlib
import logging
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
        by_vector = self.vectors.decision_function(vector[None])[0]
        by_chars = self.chars.decision_function(self.vectorizer.transform([_for_chars(text, lang)]))[0]
        return ([self.vectors.classes_[i] for i in np.argsort(-by_vector, kind="stable")],
                [self.chars.classes_[i] for i in np.argsort(-by_chars, kind="stable")])


def fit(rows: list[tuple[str, str, str, bytes]]) -> Fitted | None:
    """From (topic_id, lang, text, vector) rows; None below two topics."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    labels = [topic for topic, _, _, _ in rows]
    if len(set(labels)) < 2:
        return None
    matrix = np.stack([embeddings.from_blob(vector) for _, _, _, vector in rows])
    vectors = LogisticRegression(C=VECTORS_C, max_iter=3000).fit(matrix, labels)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True,
                                 min_df=2 if len(rows) > 50 else 1)
    features = vectorizer.fit_transform([_for_chars(text, lang) for _, lang, text, _ in rows])
    chars = LinearSVC(C=CHARS_C, random_state=0).fit(features, labels)
    return Fitted(vectors, vectorizer, chars)


def _passage_rows(db_path: Path) -> list[tuple[str, str, str, bytes]]:
    with connect(db_path) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT topic_id, lang, text, vector FROM passages ORDER BY topic_id, lang, text")]


def _fingerprint(rows) -> str:
    digest = hashlib.sha256()
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
            if not unchanged and fingerprint not in self._fits and fingerprint not in self._fitting:
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
            fitted = fit(rows)
        except Exception:  # a failed fit leaves BM25 and dense search working
            logger.exception("could not fit the topic classifiers")
            fitted = None
        with self._lock:
            self._fits[fingerprint] = fitted
            while len(self._fits) > self.KEEP:
                self._fits.pop(next(iter(self._fits)))
            self._fitting.pop(fingerprint).set()


_cache = _Cache()


def get(db_path: Path) -> Fitted | None:
    """The classifiers for this database, fitting them on first use."""
    return _cache.get(db_path)
