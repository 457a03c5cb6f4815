"""Tables of the knowledge database, and its full-text indexes per language."""
from __future__ import annotations

import sqlite_utils

from locales import SUPPORTED_LANGUAGES

# unicode61 with diacritics removed: "pasaporte"/"pásaporte", "empleur"/"employeur"
# and Arabic all tokenise sensibly; no stemmer suits all four languages.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def fts_table(lang: str) -> str:
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    return f"search_{lang}"


def create(db: sqlite_utils.Database) -> None:
    db["topics"].create(
        {
            "id": str,
            "position": int,
            "kind": str,  # right | obligation
            "applies_to": str,  # all | documented | group:NAME
            "sources": str,  # JSON list, e.g. ["ICRMW art. 21"]
            "services": str,  # JSON list of directory categories
        },
        pk="id",
    )
    db["texts"].create(
        {
            "topic_id": str,
            "lang": str,
            "title": str,
            "short": str,
            "answer": str,
            "steps": str,  # JSON list
            "questions": str,  # JSON list
            "reviewed": int,  # 1: checked by a person; 0: machine-assisted
            # Digest of the English text this one was written from: when the
            # English changes, the translation is "outdated" (knowledge/edits.py).
            "source_digest": str,
            "updated_at": str,
            "updated_by": str,
        },
        pk=("topic_id", "lang"),
        foreign_keys=[("topic_id", "topics", "id")],
    )
    # What an answer adds for one host country (e.g. where to file a wage
    # complaint there); shipped only with a public source.
    db["notes"].create(
        {"topic_id": str, "country": str, "lang": str, "text": str, "source_url": str,
         "updated_at": str, "updated_by": str},
        pk=("topic_id", "country", "lang"),
        foreign_keys=[("topic_id", "topics", "id")],
    )
    # Every published change: item is "text:TOPIC:LANG", "note:TOPIC:CC:LANG"
    # or "topic:TOPIC"; content is the whole item as JSON (null: deleted).
    db["versions"].create(
        {"id": int, "item": str, "content": str, "author": str, "at": str, "action": str},
        pk="id",
    )
    db["versions"].create_index(["item"])
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["passages"].create(
        {"topic_id": str, "lang": str, "text": str, "vector": bytes},
        foreign_keys=[("topic_id", "topics", "id")],
    )
    db["passages"].create_index(["lang"])
    for lang in SUPPORTED_LANGUAGES:
        db.execute(
            f"CREATE VIRTUAL TABLE {fts_table(lang)} USING fts5("
            f"topic_id UNINDEXED, title, body, questions, tokenize='{FTS_TOKENIZER}')"
        )
