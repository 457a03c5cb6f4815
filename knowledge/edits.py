"""Changing the knowledge database in place: one topic text, country note or
topic at a time, each change a version, live for the next question.

The database is the source of truth once built; the content files only seed
it (knowledge/build.py). Every write checks the item first, computes its
search vectors outside the transaction, then writes the row, its full-text
entry, its vectors, a version and the publication date in one transaction,
so a crash leaves either the old or the new text, never half of each.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import sqlite_utils
import yaml

from knowledge import embeddings, schema
from knowledge.segments import length, segments
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from locales.reasons import Reason, staff_

TEXT_FIELDS = ("title", "short", "answer", "steps", "questions", "reviewed")
KINDS = ("right", "obligation")
SERVICE_CATEGORIES = ("emergency", "hotline", "shelter", "legal_aid", "labour_inspection", "medical",
                      "psychosocial", "consulate", "asylum", "iom")
TOPIC_ID = re.compile(r"^(rights|obligations)\.[a-z][a-z0-9_]{1,60}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
TOPIC_ID_REASON = Reason(staff_("a topic id looks like rights.some_name or obligations.some_name"))
COUNTRY_REASON = Reason(staff_("country must be a two-letter ISO code such as AE or ES"))
PHONE_LIKE = re.compile(r"\+?\d[\d\s().-]{4,}\d")
MAX_ANSWER, MAX_NOTE = 1200, 400


class Invalid(ValueError):
    """An item that may not be saved; `reasons` says why, in words."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def connect(db_path: Path | str) -> sqlite_utils.Database:
    db = sqlite_utils.Database(db_path)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def digest(text: dict) -> str:
    """What a translation is made from: the words a reader sees, not the
    example questions (those only help search)."""
    blob = json.dumps([text.get("title"), text.get("short"), text.get("answer"), text.get("steps")],
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- checking

def check_text(text: object, lang: str) -> dict:
    """The text cleaned up, or Invalid with every reason."""
    if not isinstance(text, dict):
        raise Invalid([Reason(staff_("a topic text must be a mapping of title, short, answer, steps, questions"))])
    reasons = []
    unknown = set(text) - set(TEXT_FIELDS) - {"topic_id", "lang", "source_digest"}
    if unknown:
        reasons.append(Reason(staff_("unknown field(s): {fields}"), fields=", ".join(sorted(unknown))))
    if lang not in SUPPORTED_LANGUAGES:
        reasons.append(Reason(staff_("language must be one of {languages}"), languages=", ".join(SUPPORTED_LANGUAGES)))
    clean = {}
    for name, limit in (("title", 120), ("short", 400), ("answer", MAX_ANSWER)):
        value = text.get(name)
        if not isinstance(value, str) or not value.strip():
            # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
            reasons.append(Reason(staff_("{field} is required"), field=name))
        elif len(value) > limit:
            # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
            reasons.append(Reason(staff_("{field} is longer than {limit} characters"), field=name, limit=limit))
        else:
            clean[name] = " ".join(value.split()) if name != "answer" else value.strip()
    for name, low in (("steps", 1), ("questions", 0)):
        value = text.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
            reasons.append(Reason(staff_("{field} must be a list of non-empty texts"), field=name))
        elif len(value) < low:
            # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
            reasons.append(Reason(staff_("{field} needs at least {low} item(s)"), field=name, low=low))
        else:
            clean[name] = [" ".join(v.split()) for v in value]  # one line each (CSV cells)
    if "short" in clean:
        encoding, _ = length(clean["short"])
        budget = 2 if encoding == "gsm7" else 3
        if segments(clean["short"]) > budget:
            # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
            reasons.append(Reason(staff_("{field} does not fit {budget} SMS segments ({encoding}, {count} characters; "
                                         "the limit is {limit})"), field="short", budget=budget, encoding=encoding,
                                  count=len(clean["short"]), limit=306 if encoding == "gsm7" else 201))
    blob = " ".join([clean.get("short", ""), clean.get("answer", ""), *clean.get("steps", [])])
    if PHONE_LIKE.search(blob):
        reasons.append(Reason(staff_("topic texts may not contain phone numbers: contacts belong in the help directory")))
    reviewed = text.get("reviewed", False)
    if not isinstance(reviewed, bool):
        reasons.append(Reason(staff_("reviewed must be true or false")))
    clean["reviewed"] = bool(reviewed)
    if reasons:
        raise Invalid(reasons)
    return clean


def check_note(note: object) -> dict:
    if not isinstance(note, dict):
        raise Invalid([Reason(staff_("a country note must be a mapping of text and source_url"))])
    reasons = []
    text, url = note.get("text"), note.get("source_url")
    if not isinstance(text, str) or not text.strip():
        # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
        reasons.append(Reason(staff_("{field} is required"), field="text"))
    elif len(text) > MAX_NOTE:
        # TRANSLATORS: {field} is a form field's name, already translated (Title, SMS answer...).
        reasons.append(Reason(staff_("{field} is longer than {limit} characters"), field="text", limit=MAX_NOTE))
    elif PHONE_LIKE.search(text):
        reasons.append(Reason(staff_("notes may not contain phone numbers: contacts belong in the help directory")))
    if not isinstance(url, str) or not re.match(r"^https?://\S+\.\S+$", url or ""):
        reasons.append(Reason(staff_("source_url must be the public web address the note is based on")))
    if reasons:
        raise Invalid(reasons)
    return {"text": " ".join(text.split()), "source_url": url}


def check_topic(topic: object) -> dict:
    if not isinstance(topic, dict):
        raise Invalid([Reason(staff_("a topic must be a mapping of kind, applies_to, sources, services"))])
    reasons = []
    if topic.get("kind") not in KINDS:
        reasons.append(Reason(staff_("kind must be one of {kinds}"), kinds=", ".join(KINDS)))
    applies = topic.get("applies_to")
    if not (applies in ("all", "documented") or (isinstance(applies, str) and re.match(r"^group:[a-z_]+$", applies))):
        reasons.append(Reason(staff_("applies_to must be all, documented or group:NAME")))
    sources, services = topic.get("sources"), topic.get("services", [])
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s.strip() for s in sources):
        reasons.append(Reason(staff_("sources must list at least one legal source (e.g. ICRMW art. 25)")))
    if not isinstance(services, list) or set(services) - set(SERVICE_CATEGORIES):
        reasons.append(Reason(staff_("services must be help categories among {categories}"),
                              categories=", ".join(SERVICE_CATEGORIES)))
    if reasons:
        raise Invalid(reasons)
    return {"kind": topic["kind"], "applies_to": applies, "sources": sources, "services": services}


# ---------------------------------------------------------------- writing

def _version(db, item: str, content: dict | None, author: str, action: str) -> int:
    cursor = db.execute("INSERT INTO versions (item, content, author, at, action) VALUES (?, ?, ?, ?, ?)",
                        [item, json.dumps(content, ensure_ascii=False) if content is not None else None,
                         author, _now(), action])
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('published_on', ?)", [date.today().isoformat()])
    return cursor.lastrowid


def _index(db, topic_id: str, lang: str, text: dict, vectors) -> None:
    """Full-text and vector entries of one text (replacing the old ones)."""
    from knowledge import normalize  # the same folding is applied to queries

    table = schema.fts_table(lang)
    db.execute(f"DELETE FROM {table} WHERE topic_id = ?", [topic_id])
    db.execute("DELETE FROM passages WHERE topic_id = ? AND lang = ?", [topic_id, lang])
    db[table].insert({
        "topic_id": topic_id,
        "title": normalize.for_search(text["title"], lang),
        "body": normalize.for_search(" ".join([text["short"], text["answer"], *text["steps"]]), lang),
        "questions": normalize.for_search(" ".join(text["questions"]), lang),
    })
    db["passages"].insert_all(
        {"topic_id": topic_id, "lang": lang, "text": p, "vector": embeddings.to_blob(v)}
        for p, v in zip(passages(text), vectors, strict=True)
    )


def passages(text: dict) -> list[str]:
    """What dense search compares a question against: the title, the short
    answer and each way people ask it."""
    return [text["title"], text["short"], *text.get("questions", [])]


def prepare_text(topic_id: str, lang: str, text: object) -> tuple[dict, object]:
    """Check a text and compute its vectors (slow: do it before writing)."""
    clean = check_text(text, lang)
    return clean, embeddings.embed_passages(passages(clean))


def write_text(db, topic_id: str, lang: str, clean: dict, vectors, author: str, *,
               source_digest: str | None = None, action: str = "publish") -> int:
    """Inside the caller's transaction. A translation records the English it
    was made from: `source_digest`, or the current English text's."""
    if db.execute("SELECT 1 FROM topics WHERE id = ?", [topic_id]).fetchone() is None:
        raise Invalid([Reason(staff_("no topic {topic}: create the topic first"), topic=repr(topic_id))])
    if lang == DEFAULT_LANGUAGE:
        source_digest = digest(clean)
    elif source_digest is None:
        row = db.execute("SELECT source_digest FROM texts WHERE topic_id = ? AND lang = ?",
                         [topic_id, DEFAULT_LANGUAGE]).fetchone()
        source_digest = row[0] if row else None
    db.execute(
        "INSERT OR REPLACE INTO texts (topic_id, lang, title, short, answer, steps, questions, reviewed, "
        "source_digest, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [topic_id, lang, clean["title"], clean["short"], clean["answer"],
         json.dumps(clean["steps"], ensure_ascii=False), json.dumps(clean["questions"], ensure_ascii=False),
         int(clean["reviewed"]), source_digest, _now(), author])
    _index(db, topic_id, lang, clean, vectors)
    return _version(db, f"text:{topic_id}:{lang}", {**clean, "source_digest": source_digest}, author, action)


def save_text(db_path: Path, topic_id: str, lang: str, text: object, author: str, *,
              source_digest: str | None = None, action: str = "publish") -> dict:
    clean, vectors = prepare_text(topic_id, lang, text)
    db = connect(db_path)
    try:
        with db.conn:
            write_text(db, topic_id, lang, clean, vectors, author, source_digest=source_digest, action=action)
    finally:
        db.close()
    return current_text(db_path, topic_id, lang)


def save_topic(db_path: Path, topic_id: str, topic: object, author: str, action: str = "publish") -> dict:
    if not TOPIC_ID.match(topic_id or ""):
        raise Invalid([TOPIC_ID_REASON])
    clean = check_topic(topic)
    db = connect(db_path)
    try:
        with db.conn:
            position = db.execute("SELECT position FROM topics WHERE id = ?", [topic_id]).fetchone()
            if position is None:
                position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM topics").fetchone()
            db.execute("INSERT OR REPLACE INTO topics (id, position, kind, applies_to, sources, services) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       [topic_id, position[0], clean["kind"], clean["applies_to"],
                        json.dumps(clean["sources"], ensure_ascii=False), json.dumps(clean["services"])])
            _version(db, f"topic:{topic_id}", clean, author, action)
    finally:
        db.close()
    return clean


def save_note(db_path: Path, topic_id: str, country: str, lang: str, note: dict | None, author: str,
              action: str = "publish") -> dict | None:
    """`note` None deletes it."""
    reasons = []
    if not COUNTRY.match(country or ""):
        reasons.append(COUNTRY_REASON)
    if lang not in SUPPORTED_LANGUAGES:
        reasons.append(Reason(staff_("language must be one of {languages}"), languages=", ".join(SUPPORTED_LANGUAGES)))
    if reasons:
        raise Invalid(reasons)
    clean = check_note(note) if note is not None else None
    db = connect(db_path)
    try:
        with db.conn:
            if db.execute("SELECT 1 FROM topics WHERE id = ?", [topic_id]).fetchone() is None:
                raise Invalid([Reason(staff_("no topic {topic}"), topic=repr(topic_id))])
            if clean is None:
                db.execute("DELETE FROM notes WHERE topic_id = ? AND country = ? AND lang = ?",
                           [topic_id, country, lang])
            else:
                db.execute("INSERT OR REPLACE INTO notes (topic_id, country, lang, text, source_url, updated_at, "
                           "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [topic_id, country, lang, clean["text"], clean["source_url"], _now(), author])
            _version(db, f"note:{topic_id}:{country}:{lang}", clean, author, action if clean else "delete")
    finally:
        db.close()
    return clean


def restore(db_path: Path, version_id: int, author: str) -> str:
    """Make an earlier version of a text, topic or note the current one: a
    new version itself, so a restore can be undone the same way. Returns
    the item (e.g. "note:rights.complaints:AE:en")."""
    version = version_by_id(db_path, version_id)
    if version is None:
        raise LookupError(f"no version {version_id}")
    kind, parts = parse_item(version["item"])
    content = version["content"]
    if kind == "text":
        if content is None:
            raise Invalid([Reason(staff_("this version records no text to restore"))])
        content = dict(content)
        source = content.pop("source_digest", None)
        save_text(db_path, parts[0], parts[1], content, author, source_digest=source, action="restore")
    elif kind == "topic":
        if content is None:
            raise Invalid([Reason(staff_("this version records no topic to restore"))])
        save_topic(db_path, parts[0], content, author, action="restore")
    elif kind == "note":  # a deletion restores as a deletion
        save_note(db_path, parts[0], parts[1], parts[2], content, author, action="restore")
    else:
        raise Invalid([Reason(staff_("{kind} versions cannot be restored here"), kind=kind)])
    return version["item"]


# ---------------------------------------------------------------- reading

def _version_rows(db_path: Path, where: str, args: list) -> list[dict]:
    db = connect(db_path)
    try:
        rows = list(db.execute_returning_dicts(f"SELECT * FROM versions WHERE {where} ORDER BY id", args))
    finally:
        db.close()
    for row in rows:
        row["content"] = json.loads(row["content"]) if row["content"] else None
    return rows


def version_by_id(db_path: Path, version_id: int) -> dict | None:
    rows = _version_rows(db_path, "id = ?", [version_id])
    return rows[0] if rows else None


def current_text(db_path: Path, topic_id: str, lang: str) -> dict | None:
    db = connect(db_path)
    try:
        rows = list(db.execute_returning_dicts(
            "SELECT * FROM texts WHERE topic_id = ? AND lang = ?", [topic_id, lang]))
    finally:
        db.close()
    if not rows:
        return None
    row = rows[0]
    return {"title": row["title"], "short": row["short"], "answer": row["answer"],
            "steps": json.loads(row["steps"]), "questions": json.loads(row["questions"]),
            "reviewed": bool(row["reviewed"]), "source_digest": row["source_digest"],
            "updated_at": row["updated_at"], "updated_by": row["updated_by"]}


def topics(db_path: Path) -> list[dict]:
    db = connect(db_path)
    try:
        rows = list(db.execute_returning_dicts("SELECT * FROM topics ORDER BY position"))
    finally:
        db.close()
    return [{"id": r["id"], "kind": r["kind"], "applies_to": r["applies_to"],
             "sources": json.loads(r["sources"]), "services": json.loads(r["services"])} for r in rows]


def notes(db_path: Path, topic_id: str | None = None) -> list[dict]:
    db = connect(db_path)
    try:
        where, args = ("WHERE topic_id = ?", [topic_id]) if topic_id else ("", [])
        return list(db.execute_returning_dicts(f"SELECT * FROM notes {where} ORDER BY topic_id, country, lang", args))
    finally:
        db.close()


def note_history(db_path: Path, topic_id: str) -> list[dict]:
    """Every country note the topic has or had (deleted ones too, so they
    can be restored): country, lang, the current note or None, versions."""
    db = connect(db_path)
    try:
        items = [r[0] for r in db.execute(
            "SELECT DISTINCT item FROM versions WHERE substr(item, 1, ?) = ? ORDER BY item",
            [len(f"note:{topic_id}:"), f"note:{topic_id}:"])]
    finally:
        db.close()
    current = {(n["country"], n["lang"]): n for n in notes(db_path, topic_id)}
    history = []
    for item in items:
        _, (_, country, lang) = parse_item(item)
        history.append({"country": country, "lang": lang, "current": current.pop((country, lang), None),
                        "versions": versions(db_path, item)})
    # Notes written straight into the database, without a version, still show.
    history += [{"country": country, "lang": lang, "current": note, "versions": []}
                for (country, lang), note in current.items()]
    return history


def translation_status(db_path: Path) -> dict[str, dict[str, str]]:
    """{topic: {lang: missing | outdated | current}}; English is the source
    ("current" when written). An outdated translation is still served."""
    db = connect(db_path)
    try:
        digests = {(r[0], r[1]): r[2] for r in db.execute("SELECT topic_id, lang, source_digest FROM texts")}
        ids = [r[0] for r in db.execute("SELECT id FROM topics ORDER BY position")]
    finally:
        db.close()
    status = {}
    for topic_id in ids:
        english = digests.get((topic_id, DEFAULT_LANGUAGE))
        row = {}
        for lang in SUPPORTED_LANGUAGES:
            if (topic_id, lang) not in digests:
                row[lang] = "missing"
            elif lang == DEFAULT_LANGUAGE or digests[(topic_id, lang)] == english:
                row[lang] = "current"
            else:
                row[lang] = "outdated"
        status[topic_id] = row
    return status


def versions(db_path: Path, item: str) -> list[dict]:
    """Newest first, each with a readable diff against the one before it."""
    return add_diffs(_version_rows(db_path, "item = ?", [item]), "content")[::-1]


def add_diffs(rows: list[dict], key: str) -> list[dict]:
    """Oldest first: each row gets `diff`, what changed from the row before
    (the knowledge base and the directory show versions the same way)."""
    previous = ""
    for row in rows:
        shown = readable(row[key])
        row["diff"] = "\n".join(difflib.unified_diff(previous.splitlines(), shown.splitlines(),
                                                     "before", "after", lineterm="", n=1))
        previous = shown
    return rows


def readable(content: dict | None) -> str:
    """An item as YAML without the bookkeeping: what a diff is shown over."""
    if content is None:
        return "(deleted)"
    shown = {k: v for k, v in content.items() if k not in ("source_digest",)}
    return yaml.safe_dump(shown, allow_unicode=True, sort_keys=False, width=10**6)  # a line per field or step


def parse_item(item: str) -> tuple[str, list[str]]:
    kind, _, rest = item.partition(":")
    return kind, rest.split(":")
