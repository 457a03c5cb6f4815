"""Import and export of topic texts: YAML or CSV, one row per topic and
language, all-or-nothing.

Translators and NGOs work in spreadsheets: a CSV keeps steps and example
questions one per line inside their cell. Every row is checked (and its
search vectors computed) before anything is written; one bad row means
nothing is written, and every bad row is reported with its line. Export
writes what import reads, so a round trip loses nothing.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from directory.transfer import ImportRejected, Problem, missing_columns, read_yaml_list
from knowledge import edits
from locales import DEFAULT_LANGUAGE
from locales.reasons import Reason, staff_

FIELDS = ("topic_id", "lang", "title", "short", "answer", "steps", "questions", "reviewed")


def export_rows(db_path: Path) -> list[dict]:
    rows = []
    for topic in edits.topics(db_path):
        for lang in _languages(db_path, topic["id"]):
            text = edits.current_text(db_path, topic["id"], lang)
            rows.append({"topic_id": topic["id"], "lang": lang,
                         **{k: text[k] for k in ("title", "short", "answer", "steps", "questions", "reviewed")}})
    return rows


def _languages(db_path: Path, topic_id: str) -> list[str]:
    from locales import SUPPORTED_LANGUAGES

    return [lang for lang in SUPPORTED_LANGUAGES if edits.current_text(db_path, topic_id, lang) is not None]


def to_yaml(rows: list[dict]) -> str:
    return yaml.safe_dump({"texts": rows}, allow_unicode=True, sort_keys=False, width=100)


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "steps": "\n".join(row["steps"]), "questions": "\n".join(row["questions"]),
                         "reviewed": "yes" if row["reviewed"] else "no"})
    return out.getvalue()


def read_yaml(text: str) -> list[tuple[int, object]]:
    return read_yaml_list(text, "texts")


def read_csv(text: str) -> list[tuple[int, object]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = set(FIELDS) - set(reader.fieldnames or [])
    if missing:
        raise missing_columns(missing)
    rows, line = [], 2
    for row in reader:
        reviewed = (row.get("reviewed") or "").strip().lower()
        rows.append((line, {
            **{k: row.get(k) or "" for k in FIELDS},
            "steps": [s for s in (row.get("steps") or "").splitlines() if s.strip()],
            "questions": [q for q in (row.get("questions") or "").splitlines() if q.strip()],
            "reviewed": {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False, "": False}
            .get(reviewed, reviewed),
        }))
        line = reader.line_num + 1
    return rows


def import_rows(db_path: Path, rows: list[tuple[int, object]], author: str) -> int:
    """Check every row, then write them all in one transaction (English
    first, so translations in the same file count as made from it).
    Returns how many texts changed; unchanged rows make no version."""
    known = {t["id"] for t in edits.topics(db_path)}
    problems, ready, seen = [], [], set()
    for line, row in rows:
        if not isinstance(row, dict):
            problems.append(Problem(line, None, [Reason(staff_("a row must be a mapping of {fields}"), fields=", ".join(FIELDS))]))
            continue
        topic_id, lang = row.get("topic_id"), row.get("lang")
        label = f"{topic_id}/{lang}"
        reasons = []
        if topic_id not in known:
            reasons.append(Reason(staff_("unknown topic {topic}"), topic=repr(topic_id)))
        if (topic_id, lang) in seen:
            reasons.append(Reason(staff_("the same topic and language appear twice")))
        seen.add((topic_id, lang))
        text = {k: v for k, v in row.items() if k not in ("topic_id", "lang")}
        try:
            clean = edits.check_text(text, lang)
        except edits.Invalid as exc:
            reasons.extend(exc.reasons)
        if reasons:
            problems.append(Problem(line, label, reasons))
        else:
            ready.append((topic_id, lang, clean))
    if problems:
        raise ImportRejected(problems)
    changed = [(t, lang, clean) for t, lang, clean in ready if _differs(db_path, t, lang, clean)]
    changed.sort(key=lambda item: item[1] != DEFAULT_LANGUAGE)
    prepared = [(t, lang, clean, edits.prepare_text(t, lang, clean)[1]) for t, lang, clean in changed]
    db = edits.connect(db_path)
    try:
        with db.conn:
            for topic_id, lang, clean, vectors in prepared:
                edits.write_text(db, topic_id, lang, clean, vectors, author, action="import")
    finally:
        db.close()
    return len(prepared)


def _differs(db_path: Path, topic_id: str, lang: str, clean: dict) -> bool:
    current = edits.current_text(db_path, topic_id, lang)
    return current is None or any(current[k] != clean[k] for k in clean)
