"""Build the knowledge database from the outline and the per-language content.

The database is written to a temporary file and renamed into place, so a
running server never reads a half-built one. Running it twice gives the same
database.

    python -m knowledge.build --db var/knowledge.db
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import sqlite_utils
import yaml

from knowledge import embeddings, schema
from locales import SUPPORTED_LANGUAGES

HERE = Path(__file__).parent
OUTLINE = HERE / "rights-outline.yaml"
CONTENT_DIR = HERE / "content"


def load_outline(path: Path = OUTLINE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_content(lang: str, content_dir: Path = CONTENT_DIR) -> dict:
    path = content_dir / f"{lang}.yaml"
    if not path.exists():
        return {"language": lang, "reviewed": False, "topics": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _passages(text: dict) -> list[str]:
    """What dense search compares a question against: the title, the short
    answer and each way people ask it."""
    return [text["title"], text["short"], *text.get("questions", [])]


def build(db_path: Path, content_dir: Path = CONTENT_DIR, outline_path: Path = OUTLINE) -> dict:
    outline = load_outline(outline_path)
    known = {t["id"] for t in outline["topics"]}
    tmp = db_path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    schema.create(db)
    db["topics"].insert_all(
        {
            "id": t["id"],
            "position": i,
            "kind": t["kind"],
            "applies_to": t["applies_to"],
            "sources": json.dumps(t["sources"]),
            "services": json.dumps(t["services"]),
        }
        for i, t in enumerate(outline["topics"])
    )
    counts = {}
    for lang in SUPPORTED_LANGUAGES:
        content = load_content(lang, content_dir)
        unknown = set(content["topics"]) - known
        if unknown:
            raise ValueError(f"{lang}.yaml: topics not in the outline: {sorted(unknown)}")
        counts[lang] = len(content["topics"])
        for topic_id, text in content["topics"].items():
            db["texts"].insert(
                {
                    "topic_id": topic_id,
                    "lang": lang,
                    "title": text["title"],
                    "short": text["short"],
                    "answer": text["answer"],
                    "steps": json.dumps(text.get("steps", []), ensure_ascii=False),
                    "questions": json.dumps(text.get("questions", []), ensure_ascii=False),
                    "reviewed": int(bool(content.get("reviewed"))),
                }
            )
            db[schema.fts_table(lang)].insert(
                {
                    "topic_id": topic_id,
                    "title": text["title"],
                    "body": " ".join([text["short"], text["answer"], *text.get("steps", [])]),
                    "questions": " ".join(text.get("questions", [])),
                }
            )
            passages = _passages(text)
            vectors = embeddings.embed_passages(passages)
            db["passages"].insert_all(
                {"topic_id": topic_id, "lang": lang, "text": p, "vector": embeddings.to_blob(v)}
                for p, v in zip(passages, vectors, strict=True)
            )
    # The statement page names the version it shows.
    db["meta"].insert_all([{"key": "published_on", "value": date.today().isoformat()},
                           {"key": "outline_topics", "value": str(len(outline["topics"]))}], pk="key")
    db.close()
    os.replace(tmp, db_path)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("KNOWLEDGE_DB", "var/knowledge.db")))
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    counts = build(args.db)
    summary = ", ".join(f"{lang} {n}" for lang, n in counts.items())
    print(f"knowledge: {args.db} built in {time.monotonic() - started:.1f} s (topics: {summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
