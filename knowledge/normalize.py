"""Fold different spellings of one word together before full-text matching.

The full-text index and every query both go through `for_search`, so a fold
only has to be consistent, not linguistically exact.

Arabic needs it most. People type without hamza or harakat, mix ة/ه and ى/ي,
and glue و/ب/ل/ال onto the next word ("وجوازي", "بالراتب", "للكفيل"). The
unicode61 tokenizer folds none of this. Worse, it treats harakat as
separators, so "جَوَاز" becomes three tokens. We strip only prefixes. Cutting
possessive suffixes (ي ك ه ها هم نا) made the development questions worse.
A one-letter prefix is cut only when four letters remain, so short words that
merely start with that letter survive ("بلدي" is not "لدي").

In English a trailing plural -s is dropped ("papers" ~ "paper"), which
measurably helped. Spanish and French lost or gained nothing from the same
cut, and Tagalog and Indonesian have no questions to check against, so their
text is left alone.
"""
from __future__ import annotations

import re

# Bump when a fold changes: the topic classifiers' stored fits depend on it
# (knowledge/classifier.py), as does the full-text index (make knowledge).
VERSION = 1

_WORD = re.compile(r"\w+")

# Harakat, Quranic marks, superscript alef and tatweel.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")  # longest first
_AR_ONE_LETTER_PREFIXES = ("و", "ف", "ب", "ل")


def _arabic_word(word: str) -> str:
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    if word.startswith(_AR_ONE_LETTER_PREFIXES) and len(word) >= 5:
        return word[1:]
    return word


def _english_word(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def for_search(text: str, lang: str) -> str:
    """`text` as the full-text index should see it, for a document or a query."""
    if lang == "ar":
        text = _AR_MARKS.sub("", text).translate(_AR_LETTERS)
        return _WORD.sub(lambda m: _arabic_word(m.group()), text)
    if lang == "en":
        return _WORD.sub(lambda m: _english_word(m.group()), text)
    return text
