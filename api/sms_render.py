"""A chat turn as one SMS reply: numbered options instead of buttons, cut at
a number of segments with "reply MORE" for the rest."""
from __future__ import annotations

from knowledge.segments import segments
from locales import gettext_for


def render(messages: list[dict], lang: str) -> tuple[str, list[str]]:
    """The reply text and the payloads its numbered options stand for."""
    _ = gettext_for(lang)
    parts, payloads = [], []
    for m in messages:
        lines = [m["text"]]
        for button in m["buttons"]:
            payloads.append(button["payload"])
            lines.append(_("{number} = {option}").format(number=len(payloads), option=button["title"]))
        parts.append("\n".join(lines))
    if payloads:
        parts.append(_("Reply with a number to choose."))
    return "\n\n".join(parts), payloads


def cut(text: str, lang: str, max_segments: int) -> tuple[str, str]:
    """(what fits in `max_segments` with the MORE hint, the rest)."""
    if segments(text) <= max_segments:
        return text, ""
    _ = gettext_for(lang)
    hint = "\n" + _("Reply MORE for the rest.")
    words = text.split(" ")
    lo, hi = 0, len(words)  # the most words whose text + hint still fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if segments(" ".join(words[:mid]) + hint) <= max_segments:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:  # one enormous word: cut inside it
        head = text[: 60]
        return head + hint, text[len(head):]
    head, rest = " ".join(words[:lo]), " ".join(words[lo:])
    # Prefer ending at a line break when one is in the second half.
    brk = head.rfind("\n")
    if brk > len(head) // 2:
        head, rest = head[:brk].rstrip(), (head[brk + 1:] + " " + rest).strip()
    return head + hint, rest
