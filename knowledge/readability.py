"""How hard an English text is to read: its Flesch-Kincaid grade (textstat).

The issue asks for answers in plain words, at the reading level of a
12-year-old: about grade 6-7 of US schools. Editors see the grade of the
English answer they edit (the translations follow the English, and the
formula is made for English); `make eval` lists every topic's.

    python -m knowledge.readability [--db var/knowledge.db]
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

from locales import DEFAULT_LANGUAGE

TARGET_GRADE = 7.0  # a 12-year-old
LONGEST_SENTENCE = 20  # words; the writers' guide asks for about 15
# The grade formula is for English only. A translation is held to the same
# sentences (one for one) and to the same longest sentence, in its own
# words: 20 English words times how many words the language takes for one
# (the median over the shipped answers, 2026-11-23: es 1.04, fr 1.10,
# ar 0.78, tl 1.08, id 0.93), plus a tenth, rounded up.
LONGEST_SENTENCE_IN = {"en": LONGEST_SENTENCE, "es": 23, "fr": 25, "ar": 18, "tl": 24, "id": 21}
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def grade(text: str) -> float:
    import textstat

    return round(max(0.0, textstat.flesch_kincaid_grade(text)), 1)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def longest_sentence(text: str) -> int:
    """Words in the longest sentence."""
    return max((len(s.split()) for s in sentences(text)), default=0)


def measure(text: str) -> tuple[float, int]:
    """(grade, words in the longest sentence)."""
    return grade(text), longest_sentence(text)


def is_plain(measured: tuple[float, int]) -> bool:
    """Within both bounds: the rule `make eval` reports and a test keeps."""
    return measured[0] <= TARGET_GRADE and measured[1] <= LONGEST_SENTENCE


def main(argv: list[str] | None = None) -> int:
    from knowledge import edits

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("var/knowledge.db"))
    args = parser.parse_args(argv)
    rows = []
    for topic in edits.topics(args.db):
        text = edits.current_text(args.db, topic["id"], DEFAULT_LANGUAGE)
        if text:
            rows.append((*measure(text["answer"]), topic["id"]))
    if not rows:
        print("no English texts")
        return 0
    rows.sort(reverse=True)
    grades = [g for g, _, _ in rows]
    over = [r for r in rows if not is_plain(r[:2])]
    print(f"Reading grade of the English answers (Flesch-Kincaid; a 12-year-old: {TARGET_GRADE:g} or lower): "
          f"median {statistics.median(grades):.1f}; {len(over)} of {len(rows)} above it "
          f"or with a sentence over {LONGEST_SENTENCE} words")
    for g, words, topic_id in over:
        print(f"  {g:5.1f}  longest sentence {words:2d} words  {topic_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
