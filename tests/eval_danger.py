"""Danger detection by the phrase lists alone, per language (`make eval`).

    python -m tests.eval_danger [--db var/directory.db]

tests/data/emergency_messages.yaml: the set the lists were first written
against. tests/data/emergency_messages_independent.yaml: written apart from
the lists; its even-numbered messages were used to extend them, the
odd-numbered ones only measured.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from directory import safety
from directory.seed import seed

DATA = Path(__file__).parent / "data"


def count(db: Path, messages: dict, part: slice) -> dict[str, tuple[int, int, int]]:
    """{lang: (missed, false alarms, messages of each kind)}."""
    out = {}
    for lang, kinds in messages.items():
        danger, harmless = kinds["danger"][part], kinds["harmless"][part]
        missed = sum(not safety.assess(db, m, lang).emergency for m in danger)
        alarms = sum(safety.assess(db, m, lang).emergency for m in harmless)
        out[lang] = (missed, alarms, len(danger))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db", type=Path, default=None, help="directory database (default: seed a fresh one)")
    args = parser.parse_args(argv)
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "directory.db"
        seed(db)
    first = yaml.safe_load((DATA / "emergency_messages.yaml").read_text(encoding="utf-8"))
    independent = yaml.safe_load((DATA / "emergency_messages_independent.yaml").read_text(encoding="utf-8"))
    print("Danger phrase lists alone: missed danger messages / false alarms on harmless ones")
    for name, messages, part in (("first set", first, slice(None)),
                                 ("independent, even (used)", independent, slice(0, None, 2)),
                                 ("independent, odd (measured)", independent, slice(1, None, 2))):
        cells = count(db, messages, part)
        total = [sum(c[i] for c in cells.values()) for i in range(3)]
        print(f"{name:28} " + "  ".join(f"{lang} {m}/{a} of {n}" for lang, (m, a, n) in cells.items())
              + f"  | all {total[0]}/{total[1]} of {total[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
