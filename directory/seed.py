"""Create the directory database and fill the parts that are still empty
from directory/data/ (services, emergency numbers, danger phrases).

Run by `make directory`. Once created, the database is where NGO editors
change things; seeding again never overwrites their edits unless
`--replace` is given. Danger phrases shipped later are added (not
harmless or sensitive ones), except those an editor deleted.

    python -m directory.seed --db var/directory.db [--replace]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from directory import schema, transfer
from directory.records import _sources, _verified_on, countries

DATA = Path(__file__).parent / "data"


def emergency_rows(path: Path = DATA / "emergency_numbers.yaml") -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for country, entry in data["countries"].items():
        if country not in countries():
            raise ValueError(f"{path.name}: {country} is not a country code")
        numbers = {k: str(v) for k, v in entry["numbers"].items()}
        if not numbers or not all(n.isdigit() for n in numbers.values()):
            raise ValueError(f"{path.name}: {country} numbers must be digits")
        rows.append({
            "country": country, "numbers": json.dumps(numbers),
            "sources": _sources(entry.get("sources"), entry), "verified_on": _verified_on(entry.get("verified_on"), entry),
        })
    return rows


def phrase_rows(folder: Path = DATA / "danger_phrases") -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in ("danger", "harmless", "sensitive"):
            rows += [{"lang": path.stem, "kind": kind, "phrase": str(p)} for p in data.get(kind) or []]
    return rows


def seed(db_path: Path, *, replace: bool = False) -> dict[str, int]:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db = schema.connect(db_path)
    counts = {}
    try:
        schema.ensure(db)
        empty = {t: replace or db[t].count == 0 for t in ("services", "emergency_numbers", "danger_phrases")}
        # No phrases because editors deleted them all is not a new database.
        empty["danger_phrases"] = replace or (empty["danger_phrases"] and db["removed_phrases"].count == 0)
    finally:
        db.close()
    if empty["services"]:
        text = (DATA / "services.yaml").read_text(encoding="utf-8")
        counts["services"] = transfer.import_services(db_path, transfer.read_yaml(text), replace=replace)
    db = schema.connect(db_path)
    try:
        with db.conn:
            if empty["emergency_numbers"]:
                db.execute("DELETE FROM emergency_numbers")
                rows = emergency_rows()
                db["emergency_numbers"].insert_all(rows, pk="country")
                counts["emergency_numbers"] = len(rows)
            if empty["danger_phrases"]:
                db.execute("DELETE FROM danger_phrases")
                rows = phrase_rows()
                db["danger_phrases"].insert_all(rows)
                counts["danger_phrases"] = len(rows)
            else:
                added = _add_new_phrases(db)
                if added:
                    counts["new danger_phrases"] = added
            schema.bump_revision(db)
    finally:
        db.close()
    return counts


def _add_new_phrases(db) -> int:
    """Danger phrases shipped since the database was seeded (the lists matter
    for safety: an update should bring them), except those a person deleted;
    people's own additions stay. Only `danger` ones: a phrase deleted before
    deletions were recorded may come back, and a danger phrase coming back
    can only raise an alarm too many, where a harmless one could hide one."""
    removed = {tuple(r) for r in db.execute("SELECT lang, kind, phrase FROM removed_phrases")}
    before = db["danger_phrases"].count
    for row in phrase_rows():
        if row["kind"] == "danger" and (row["lang"], row["kind"], row["phrase"]) not in removed:
            db.execute("INSERT OR IGNORE INTO danger_phrases (lang, kind, phrase) VALUES (?, ?, ?)",
                       [row["lang"], row["kind"], row["phrase"]])
    return db["danger_phrases"].count - before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("var/directory.db"))
    parser.add_argument("--replace", action="store_true", help="replace the tables with the shipped data")
    args = parser.parse_args(argv)
    try:
        counts = seed(args.db, replace=args.replace)
    except transfer.ImportRejected as exc:
        print(f"directory/data/services.yaml has errors:\n{exc}", file=sys.stderr)
        return 1
    print(f"{args.db}: " + (", ".join(f"{n} {t}" for t, n in counts.items()) or "already seeded, nothing changed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
