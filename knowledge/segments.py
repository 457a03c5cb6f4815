"""SMS length: which encoding a text needs and how many segments it takes.

GSM 03.38: 160 septets in one segment, 153 per segment when concatenated;
extension-table characters ({ } [ ] ~ \\ | ^ €, form feed) take two septets.
Anything outside the GSM alphabet forces UCS-2: 70 characters, 67 when
concatenated (characters outside the BMP take two UTF-16 code units).
"""
from __future__ import annotations

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("\f^{}\\[~]|€")


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def length(text: str) -> tuple[str, int]:
    """("gsm7", septets) or ("ucs2", UTF-16 code units)."""
    if is_gsm7(text):
        return "gsm7", sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    return "ucs2", len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    encoding, units = length(text)
    single, multi = (160, 153) if encoding == "gsm7" else (70, 67)
    if units <= single:
        return 1
    return -(-units // multi)
