"""Import, export and translation status of the knowledge base from the
command line (the same checks and files as the editors' web pages).

    python -m knowledge.cli export [--format yaml|csv] [--db var/knowledge.db] > texts.csv
    python -m knowledge.cli import texts.csv [--db var/knowledge.db]
    python -m knowledge.cli status

An import checks every row first; with any bad row it prints them all
(line and reason), writes nothing and exits with 1.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from directory.transfer import ImportRejected
from knowledge import edits, transfer
from locales import SUPPORTED_LANGUAGES

_MARK = {"current": "ok", "outdated": "OUTDATED", "missing": "-"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import or export the knowledge base.")
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("KNOWLEDGE_DB", "var/knowledge.db")))
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export")
    export.add_argument("--format", choices=("yaml", "csv"), default="yaml")
    imp = sub.add_parser("import")
    imp.add_argument("file", type=Path)
    sub.add_parser("status", help="translation status per topic and language")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db}: no knowledge database; run `make knowledge` first", file=sys.stderr)
        return 2
    if args.command == "export":
        rows = transfer.export_rows(args.db)
        sys.stdout.write(transfer.to_yaml(rows) if args.format == "yaml" else transfer.to_csv(rows))
        return 0
    if args.command == "status":
        print(f"{'topic':40} " + " ".join(f"{lang:>8}" for lang in SUPPORTED_LANGUAGES))
        for topic_id, row in edits.translation_status(args.db).items():
            print(f"{topic_id:40} " + " ".join(f"{_MARK[row[lang]]:>8}" for lang in SUPPORTED_LANGUAGES))
        return 0
    text = args.file.read_text(encoding="utf-8-sig")
    try:
        rows = transfer.read_csv(text) if args.file.suffix.lower() == ".csv" else transfer.read_yaml(text)
        count = transfer.import_rows(args.db, rows, author=f"cli:{getpass.getuser()}")
    except ImportRejected as exc:
        print(f"{args.file}: nothing imported; fix these rows:\n{exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: {len(rows)} rows read, {count} texts changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
