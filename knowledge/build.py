"""Build or update the knowledge database from the outline and the content
files in knowledge/content/.

The database is the source of truth once it exists: NGO editors change it
(knowledge/edits.py). This script builds a new one (written to a temporary
file and renamed into place, so a running server never reads half of it),
or brings an existing one up to date with the content files without ever
overwriting what a person edited: a text is replaced only while its latest
version still comes from the files.

    python -m knowledge.build --db var/knowledge.db [--rebuild]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

import yaml

from knowledge import classifier, edits, schema
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

HERE = Path(__file__).parent
OUTLINE = HERE / "rights-outline.yaml"
CONTENT_DIR = HERE / "content"
AUTHOR = "content files"  # the author of every version that comes from this script


def load_outline(path: Path = OUTLINE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_content(lang: str, content_dir: Path = CONTENT_DIR) -> dict:
    path = content_dir / f"{lang}.yaml"
    if not path.exists():
        return {"language": lang, "reviewed": False, "topics": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_notes(content_dir: Path = CONTENT_DIR) -> list[dict]:
    """notes.yaml: {topic: {COUNTRY: {source_url, text: {lang: words}}}}."""
    path = content_dir / "notes.yaml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [{"topic_id": topic_id, "country": country, "lang": lang, "text": words, "source_url": note["source_url"]}
            for topic_id, countries in data.items() for country, note in countries.items()
            for lang, words in note["text"].items()]


def _file_texts(content_dir: Path, known: set[str]) -> list[tuple[str, str, dict, str | None]]:
    """(topic, lang, text, digest of the English it was made from), checked."""
    english = load_content(DEFAULT_LANGUAGE, content_dir)["topics"]
    out = []
    for lang in SUPPORTED_LANGUAGES:
        content = load_content(lang, content_dir)
        unknown = set(content["topics"]) - known
        if unknown:
            raise ValueError(f"{lang}.yaml: topics not in the outline: {sorted(unknown)}")
        for topic_id, text in content["topics"].items():
            try:
                clean = edits.check_text({**text, "reviewed": bool(content.get("reviewed"))}, lang)
            except edits.Invalid as exc:
                raise ValueError(f"{lang}.yaml {topic_id}: {exc}") from None
            source = edits.digest(edits.check_text({**english[topic_id]}, DEFAULT_LANGUAGE)) \
                if topic_id in english else None
            out.append((topic_id, lang, clean, source))
    return out


def build(db_path: Path, content_dir: Path = CONTENT_DIR, outline_path: Path = OUTLINE) -> dict:
    """A new database from the files; returns the topic count per language."""
    outline = load_outline(outline_path)
    texts = _file_texts(content_dir, {t["id"] for t in outline["topics"]})
    tmp = db_path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    db = edits.connect(tmp)
    schema.create(db)
    db["meta"].insert_all([{"key": "published_on", "value": date.today().isoformat()},
                           {"key": "outline_topics", "value": str(len(outline["topics"]))}], replace=True)
    db.close()
    for topic in outline["topics"]:
        edits.save_topic(tmp, topic["id"], topic, AUTHOR, action="import")
    _write_texts(tmp, texts)
    for note in load_notes(content_dir):
        edits.save_note(tmp, note["topic_id"], note["country"], note["lang"], note, AUTHOR, action="import")
    os.replace(tmp, db_path)
    counts = {lang: 0 for lang in SUPPORTED_LANGUAGES}
    for _, lang, _, _ in texts:
        counts[lang] += 1
    return counts


def _write_texts(db_path: Path, texts) -> None:
    prepared = [(t, lang, clean, edits.prepare_text(t, lang, clean)[1], source) for t, lang, clean, source in texts]
    db = edits.connect(db_path)
    try:
        with db.conn:
            for topic_id, lang, clean, vectors, source in prepared:
                edits.write_text(db, topic_id, lang, clean, vectors, AUTHOR, source_digest=source, action="import")
    finally:
        db.close()


def _latest_authors(db_path: Path) -> dict[str, str]:
    db = edits.connect(db_path)
    try:
        return {r[0]: r[1] for r in db.execute(
            "SELECT item, author FROM versions WHERE id IN (SELECT max(id) FROM versions GROUP BY item)")}
    finally:
        db.close()


def sync(db_path: Path, content_dir: Path = CONTENT_DIR, outline_path: Path = OUTLINE) -> dict:
    """Bring an existing database up to date with the files, keeping every
    edit a person made. Returns counts of added, updated and kept items."""
    outline = load_outline(outline_path)
    texts = _file_texts(content_dir, {t["id"] for t in outline["topics"]})
    authors = _latest_authors(db_path)
    have = {t["id"] for t in edits.topics(db_path)}
    counts = {"added": 0, "updated": 0, "kept": 0}
    for topic in outline["topics"]:
        if topic["id"] not in have:
            edits.save_topic(db_path, topic["id"], topic, AUTHOR, action="import")
    changed = []
    for topic_id, lang, clean, source in texts:
        current = edits.current_text(db_path, topic_id, lang)
        if current is None:
            counts["added"] += 1
        elif {k: current[k] for k in clean} == clean and current["source_digest"] == source:
            continue
        elif authors.get(f"text:{topic_id}:{lang}") != AUTHOR:
            counts["kept"] += 1
            continue
        else:
            counts["updated"] += 1
        changed.append((topic_id, lang, clean, source))
    _write_texts(db_path, changed)
    for note in load_notes(content_dir):
        item = f"note:{note['topic_id']}:{note['country']}:{note['lang']}"
        if item not in authors:
            edits.save_note(db_path, note["topic_id"], note["country"], note["lang"], note, AUTHOR, action="import")
            counts["added"] += 1
    return counts


def _is_editable(db_path: Path) -> bool:
    db = edits.connect(db_path)
    try:
        return "versions" in db.table_names()
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("KNOWLEDGE_DB", "var/knowledge.db")))
    parser.add_argument("--rebuild", action="store_true", help="start again from the files (loses every edit)")
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if args.rebuild or not args.db.exists() or not _is_editable(args.db):
        counts = build(args.db)
        summary = ", ".join(f"{lang} {n}" for lang, n in counts.items())
        print(f"knowledge: {args.db} built in {time.monotonic() - started:.1f} s (topics: {summary})")
    else:
        counts = sync(args.db)
        print(f"knowledge: {args.db} up to date in {time.monotonic() - started:.1f} s "
              f"({counts['added']} added, {counts['updated']} updated from the files, "
              f"{counts['kept']} edited by people kept)")
    started = time.monotonic()
    classifier.get(args.db)  # fitted now (or found on disk), not at the first question
    print(f"knowledge: topic classifiers ready in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
