"""Text normalisation shared by the phrase lists and the place names."""
from __future__ import annotations

import re
import unicodedata

_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkeel, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_NOT_WORD = re.compile(r"[^\w\s*.]|_")
_APOSTROPHES = re.compile(r"['’`´]")
_SPACES = re.compile(r"\s+")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]")


def normalize(text: str) -> str:
    """Lower case, no accents or Arabic diacritics, no punctuation:
    "¡Me PEGÓ!" -> "me pego", "can't" -> "cant", "أُريد" -> "اريد"."""
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or _ARABIC_WORD.match(ch))
    text = unicodedata.normalize("NFC", text)
    text = _APOSTROPHES.sub("", text)
    text = _NOT_WORD.sub(" ", text).replace(".", " ")
    return _SPACES.sub(" ", text).strip()


def phrase_pattern(phrase: str) -> re.Pattern:
    """A phrase of the lists as a regular expression over normalised text:
    "word*" takes any ending, ".." up to three words, and an Arabic word may
    carry one prefix letter (و ف ب ل) and the article."""
    parts, gap = [], False
    for token in phrase.split():
        if token == "..":
            gap = True
            continue
        word = normalize(token.rstrip("*")) if token.rstrip("*") else ""
        if not word:
            continue
        regex = re.escape(word).replace(r"\ ", r"\s+") + (r"\w*" if token.endswith("*") else "")
        if _ARABIC_WORD.match(word):
            regex = "[وفبل]?" + ("" if word.startswith("ال") else "(?:ال)?") + regex
        if parts:
            parts.append(r"\s+(?:\S+\s+){0,3}" if gap else r"\s+")
        parts.append(regex)
        gap = False
    return re.compile(r"(?<!\S)" + "".join(parts) + r"(?!\S)")
