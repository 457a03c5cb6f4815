"""The whole written statement of rights and duties in one language
(Global Commission on International Migration, 2005, ch. 5 para. 41):
every written topic in outline order, grouped into rights and duties."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.store import TopicText, connect, topic_text


@dataclass(frozen=True)
class Statement:
    lang: str
    groups: list[tuple[str, list[TopicText]]]  # ("right" | "obligation", topics)
    published_on: date
    written: int
    outline_topics: int


def statement(db_path: Path, lang: str) -> Statement:
    with connect(db_path) as conn:
        rows = conn.execute(
            "SELECT t.id, t.kind FROM topics t WHERE EXISTS (SELECT 1 FROM texts x WHERE x.topic_id = t.id) "
            "ORDER BY t.position").fetchall()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    groups: dict[str, list[TopicText]] = {"right": [], "obligation": []}
    for row in rows:
        text = topic_text(db_path, row["id"], lang)
        if text is not None:
            groups.setdefault(row["kind"], []).append(text)
    return Statement(
        lang=lang,
        groups=[(kind, topics) for kind, topics in groups.items() if topics],
        published_on=date.fromisoformat(meta["published_on"]),
        written=sum(len(t) for t in groups.values()),
        outline_topics=int(meta["outline_topics"]),
    )
