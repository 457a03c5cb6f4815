"""Import and export of the directory: YAML and CSV, all-or-nothing.

An import is checked entirely before anything is written; one bad row
means nothing is written and every bad row is reported with its line.
Export writes what import reads, so a round trip loses nothing.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from directory import schema
from directory.records import check_service
from locales.reasons import Reason, staff_

CSV_FIELDS = (
    "id", "name", "category", "country", "regions", "nationality", "address", "coordinates",
    "phones", "email", "website", "hours", "languages", "serves", "free", "confidential",
    "notes", "sources", "verified_on", "demo",
)
_LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Problem:
    line: int
    id: str | None
    reasons: list[str]

    def __str__(self) -> str:
        return f"line {self.line} ({self.id or 'no id'}): " + "; ".join(self.reasons)


class ImportRejected(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read_yaml(text: str) -> list[tuple[int, object]]:
    """The entries of a `services:` YAML document, each with its line number."""
    return read_yaml_list(text, "services")


def read_yaml_list(text: str, key: str) -> list[tuple[int, object]]:
    """The items of the top-level `key:` list of a YAML document, each with
    its line number (the knowledge base's import reads `texts:` with it)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportRejected([Problem(mark.line + 1 if mark else 1, None,
                                      [Reason(staff_("not valid YAML: {error}"), error=str(exc))])]) from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ImportRejected([Problem(1, None, [Reason(staff_("the file must have a top-level `{key}:` list"), key=key)])])
    nodes = next(value for k, value in root.value if k.value == key).value
    return [(node.start_mark.line + 1, item) for node, item in zip(nodes, data[key], strict=True)]


def missing_columns(missing: set[str]) -> ImportRejected:
    """What a CSV file without the columns it needs is refused with (every import)."""
    return ImportRejected([Problem(1, None, [Reason(staff_("missing column(s): {columns}"),
                                                    columns=", ".join(sorted(missing)))])])


def read_csv(text: str) -> list[tuple[int, object]]:
    """Rows of a CSV export, with their line numbers (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = set(CSV_FIELDS) - set(reader.fieldnames or [])
    if {"id", "name"} & missing:
        raise missing_columns(missing)
    entries = []
    for row in reader:
        line = reader.line_num
        try:
            entries.append((line, _from_csv_row(row)))
        except ValueError as exc:
            entries.append((line, {"id": row.get("id"), "__error__": exc.args[0] if exc.args else str(exc)}))
    return entries


def _from_csv_row(row: dict) -> dict:
    def split(value):
        return [v.strip() for v in (value or "").split(_LIST_SEPARATOR) if v.strip()]

    def as_json(name):
        value = (row.get(name) or "").strip()
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            if name == "hours" and value == "always":
                return value
            raise ValueError(Reason(staff_("{key}: not valid JSON"), key=name)) from None

    entry = {k: (row.get(k) or "").strip() or None for k in ("id", "name", "category", "country", "nationality",
                                                              "address", "email", "website", "notes", "verified_on",
                                                              "free", "confidential", "demo")}
    coordinates = split((row.get("coordinates") or "").replace(",", _LIST_SEPARATOR))
    entry.update(
        regions=split(row.get("regions")),
        languages=split(row.get("languages")),
        sources=split(row.get("sources")),
        phones=as_json("phones"),
        hours=as_json("hours"),
        serves=as_json("serves"),
        coordinates=[float(c) for c in coordinates] if coordinates else None,
    )
    return {k: v for k, v in entry.items() if v not in (None, [], "")}


def check_all(entries: list[tuple[int, object]]) -> list[dict]:
    rows, problems, seen = [], [], {}
    for line, entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(entry, dict) and "__error__" in entry:
            problems.append(Problem(line, ident, [entry["__error__"]]))
            continue
        row, reasons = check_service(entry)
        if ident in seen:
            reasons = [*reasons, Reason(staff_("the id is already used on line {line}"), line=seen[ident])]
        seen.setdefault(ident, line)
        if reasons:
            problems.append(Problem(line, ident, reasons))
        else:
            rows.append(row)
    if problems:
        raise ImportRejected(problems)
    return rows


def import_services(db_path: Path, entries: list[tuple[int, object]], *, replace: bool = False,
                    author: str = "import") -> int:
    """Write the entries (in one transaction, each with a version row);
    with `replace`, delete the rest."""
    rows = check_all(entries)
    db = schema.connect(db_path)
    try:
        schema.ensure(db)
        with db.conn:
            if replace:
                for (gone,) in db.execute("SELECT id FROM services").fetchall():
                    if gone not in {r["id"] for r in rows}:
                        _version(db, gone, None, author, "delete")
                db.execute("DELETE FROM services")
            for row in rows:
                db["services"].upsert(row, pk="id")
                _version(db, row["id"], _as_entry(row), author, "import")
            schema.bump_revision(db)
    finally:
        db.close()
    return len(rows)


def _version(db, service_id: str, entry: dict | None, author: str, action: str) -> None:
    db.execute(
        "INSERT INTO service_versions (service_id, entry, author, saved_at, action) VALUES (?, ?, ?, ?, ?)",
        [service_id, json.dumps(entry, ensure_ascii=False, default=str) if entry else None, author,
         datetime.now(timezone.utc).isoformat(), action],
    )


def save_service(db_path: Path, entry: dict, author: str) -> dict:
    """One entry, checked, written with its version; raises ImportRejected."""
    (row,) = check_all([(1, entry)])
    db = schema.connect(db_path)
    try:
        with db.conn:
            db["services"].upsert(row, pk="id")
            _version(db, row["id"], _as_entry(row), author, "save")
            schema.bump_revision(db)
    finally:
        db.close()
    return _as_entry(row)


def delete_service(db_path: Path, service_id: str, author: str) -> bool:
    db = schema.connect(db_path)
    try:
        with db.conn:
            gone = db.execute("DELETE FROM services WHERE id = ?", [service_id]).rowcount
            if gone:
                _version(db, service_id, None, author, "delete")
                schema.bump_revision(db)
    finally:
        db.close()
    return bool(gone)


def versions(db_path: Path, service_id: str) -> list[dict]:
    """Newest first, each with a readable diff against the one before it."""
    from knowledge.edits import add_diffs

    db = schema.connect(db_path)
    try:
        rows = [
            {**v, "entry": json.loads(v["entry"]) if v["entry"] else None}
            for v in db.execute_returning_dicts(
                "SELECT id, entry, author, saved_at, action FROM service_versions WHERE service_id = ? ORDER BY id",
                [service_id])
        ]
    finally:
        db.close()
    return add_diffs(rows, "entry")[::-1]


def _as_entry(row: dict) -> dict:
    entry = {k: v for k, v in row.items() if v is not None and k not in ("latitude", "longitude")}
    for key in ("regions", "phones", "hours", "languages", "serves", "sources"):
        if key in entry:
            entry[key] = json.loads(entry[key])
    if row.get("latitude") is not None:
        entry["coordinates"] = [row["latitude"], row["longitude"]]
    for key in ("free", "confidential", "demo"):
        if key in entry:
            entry[key] = bool(entry[key])
    return {k: v for k, v in entry.items() if v not in ([], {}) or k == "serves"}


def export_entries(db_path: Path) -> list[dict]:
    db = schema.connect(db_path)
    try:
        return [_as_entry(row) for row in db["services"].rows_where(order_by="country, category, id")]
    finally:
        db.close()


def to_yaml(entries: list[dict]) -> str:
    return yaml.safe_dump({"services": entries}, allow_unicode=True, sort_keys=False)


def to_csv(entries: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = {}
        for key in CSV_FIELDS:
            value = entry.get(key)
            if key in ("regions", "languages", "sources"):
                value = _LIST_SEPARATOR.join(value or [])
            elif key == "coordinates":
                value = ",".join(map(str, value)) if value else ""
            elif key in ("phones", "serves") or (key == "hours" and isinstance(value, list)):
                value = json.dumps(value, ensure_ascii=False) if value is not None else ""
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row[key] = "" if value is None else value
        writer.writerow(row)
    return out.getvalue()
