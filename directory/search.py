"""Finding services and emergency numbers for one user."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from directory import schema

MAX_RESULTS = 3


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    category: str
    country: str
    regions: list[str]
    nationality: str | None
    address: str | None
    phones: list[dict]
    email: str | None
    website: str | None
    hours: object  # "always" | list of spans | None
    languages: list[str]
    serves: dict
    free: bool | None
    confidential: bool | None
    notes: str | None
    sources: list[str]
    verified_on: date
    demo: bool

    @classmethod
    def from_row(cls, row: dict) -> Service:
        flag = lambda v: None if v is None else bool(v)  # noqa: E731
        return cls(
            id=row["id"], name=row["name"], category=row["category"], country=row["country"],
            regions=json.loads(row["regions"] or "[]"), nationality=row["nationality"], address=row["address"],
            phones=json.loads(row["phones"] or "[]"), email=row["email"], website=row["website"],
            hours=json.loads(row["hours"]) if row["hours"] else None, languages=json.loads(row["languages"] or "[]"),
            serves=json.loads(row["serves"] or "{}"), free=flag(row["free"]), confidential=flag(row["confidential"]),
            notes=row["notes"], sources=json.loads(row["sources"] or "[]"),
            verified_on=date.fromisoformat(row["verified_on"]), demo=bool(row["demo"]),
        )


@dataclass(frozen=True)
class EmergencyNumbers:
    country: str
    numbers: dict[str, str]  # general | general_alt | police | ambulance | fire -> number
    sources: list[str]
    verified_on: date

    @property
    def first(self) -> str:
        """The one number to give first."""
        for key in ("general", "police", "ambulance"):
            if key in self.numbers:
                return self.numbers[key]
        return next(iter(self.numbers.values()))


def _score(s: Service, region: str | None, nationality: str | None, lang: str | None) -> int:
    score = 0
    if region and any(r.casefold() == region.casefold() for r in s.regions):
        score += 4
    elif not s.regions:
        score += 2  # serves the whole country
    if nationality and nationality in s.serves.get("nationality", []):
        score += 3
    if lang and lang in s.languages:
        score += 1
    return score


def find(
    db_path: Path,
    category: str,
    country: str,
    *,
    region: str | None = None,
    nationality: str | None = None,
    lang: str | None = None,
    limit: int = MAX_RESULTS,
) -> list[Service]:
    """The best `limit` services of `category` in `country` for this user.
    A consulate must be the user's own; a service only for other
    nationalities is left out."""
    db = schema.connect(db_path)
    try:
        rows = list(db["services"].rows_where("country = ? AND category = ?", [country, category], order_by="id"))
    finally:
        db.close()
    services = [Service.from_row(r) for r in rows]
    if category == "consulate":
        services = [s for s in services if s.nationality == nationality]
    if nationality:
        services = [s for s in services if not s.serves.get("nationality") or nationality in s.serves["nationality"]]
    services.sort(key=lambda s: (-_score(s, region, nationality, lang), s.demo, s.id))
    return services[:limit]


def emergency_numbers(db_path: Path, country: str | None) -> EmergencyNumbers | None:
    if not country:
        return None
    db = schema.connect(db_path)
    try:
        row = db.execute("SELECT * FROM emergency_numbers WHERE country = ?", [country]).fetchone()
    finally:
        db.close()
    if row is None:
        return None
    return EmergencyNumbers(row[0], json.loads(row[1]), json.loads(row[2]), date.fromisoformat(row[3]))
