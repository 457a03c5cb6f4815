"""Top-1 topic accuracy per language on held-out questions (`make eval`).

    python -m tests.eval_retrieval [--mode hybrid|fts|dense|all]

The questions in tests/data/eval_questions.yaml were written apart from the
content they are matched against.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

from knowledge import search
from knowledge.build import build

QUESTIONS = Path(__file__).parent / "data" / "eval_questions.yaml"


def evaluate(db: Path, mode: str, questions: dict) -> dict:
    results = {}
    for lang, topics in questions.items():
        correct = total = 0
        confusions = collections.Counter()
        for expected, asked in topics.items():
            for question in asked:
                hits = search.search(db, question, lang, mode=mode, limit=1)
                got = hits[0].topic_id if hits else None
                total += 1
                if got == expected:
                    correct += 1
                else:
                    confusions[(expected, got)] += 1
        results[lang] = (correct, total, confusions)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--mode", default="all", choices=["all", *search.MODES])
    parser.add_argument("--db", type=Path, default=None, help="knowledge database (default: build a fresh one)")
    args = parser.parse_args(argv)
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "knowledge.db"
        build(db)
    modes = search.MODES if args.mode == "all" else (args.mode,)
    print(f"Top-1 topic accuracy on {QUESTIONS.relative_to(Path.cwd()) if QUESTIONS.is_relative_to(Path.cwd()) else QUESTIONS}")
    print(f"{'mode':8} " + " ".join(f"{lang:>14}" for lang in questions) + f" {'ms/query':>9}")
    worst = {}
    for mode in modes:
        started = time.perf_counter()
        results = evaluate(db, mode, questions)
        count = sum(r[1] for r in results.values())
        per_query = (time.perf_counter() - started) * 1000 / count
        cells = " ".join(f"{c:>4}/{t:<3} {100 * c / t:5.1f}%" for c, t, _ in results.values())
        print(f"{mode:8} {cells} {per_query:9.1f}")
        worst[mode] = results
    for mode, results in worst.items():
        print(f"\nConfusions ({mode}): expected -> got (count)")
        for lang, (_, _, confusions) in results.items():
            for (expected, got), n in confusions.most_common(5):
                print(f"  {lang}: {expected} -> {got} ({n})")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    sys.exit(main())
