"""Import and export the directory from the command line.

    python -m directory.cli export [--format yaml|csv] [--db var/directory.db] > services.yaml
    python -m directory.cli import services.csv [--replace] [--db var/directory.db]

An import checks every row first; with any bad row it prints them all
(line and reason), writes nothing and exits with 1.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from directory import transfer
from directory.seed import seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import or export the help directory.")
    parser.add_argument("--db", type=Path, default=Path("var/directory.db"))
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export")
    export.add_argument("--format", choices=("yaml", "csv"), default="yaml")
    imp = sub.add_parser("import")
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true", help="delete entries the file does not have")
    args = parser.parse_args(argv)
    seed(args.db)  # creates the tables if the database is new
    if args.command == "export":
        entries = transfer.export_entries(args.db)
        sys.stdout.write(transfer.to_yaml(entries) if args.format == "yaml" else transfer.to_csv(entries))
        return 0
    text = args.file.read_text(encoding="utf-8")
    try:
        entries = transfer.read_csv(text) if args.file.suffix.lower() == ".csv" else transfer.read_yaml(text)
        count = transfer.import_services(args.db, entries, replace=args.replace, author="cli")
    except transfer.ImportRejected as exc:
        print(f"{args.file}: nothing imported; fix these rows:\n{exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: {count} entries imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
