"""Checking a directory entry and turning it into a database row.

Every problem is reported, not just the first, so an editor fixing an
import file sees them all at once.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale

from actions.categories import CATEGORIES
from directory.phones import InvalidPhone, to_e164
from locales.reasons import Reason, staff_

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PHONE_KINDS = ("voice", "sms", "whatsapp")
SERVES_KEYS = ("nationality", "gender", "group")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_URL = re.compile(r"^https?://[^\s]+$")


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    pseudo = {"ZZ", "EU", "EZ", "UN", "QO"}
    return frozenset(
        c for c in Locale("en").territories if len(c) == 2 and c.isalpha() and c not in pseudo and (c[0] != "X" or c == "XK")
    )


@lru_cache(maxsize=1)
def language_codes() -> frozenset[str]:
    return frozenset(c for c in Locale("en").languages if re.fullmatch(r"[a-z]{2,3}", c))


def _country(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and value.upper() in countries() else None


def check_service(entry: Any) -> tuple[dict | None, list[str]]:
    """(row, []) for a good entry, (None, [reasons]) for a bad one."""
    if not isinstance(entry, dict):
        return None, [Reason(staff_("an entry must be a mapping of field: value"))]
    errors: list[str] = []
    unknown = set(entry) - _FIELDS_IN_FILE
    if unknown:
        errors.append(Reason(staff_("unknown field(s): {fields}"), fields=", ".join(sorted(unknown))))
    row: dict[str, Any] = {}
    for name, check in _FIELDS.items():
        try:
            row[name] = check(entry.get(name), entry)
        except ValueError as exc:
            # TRANSLATORS: {key} is a field of a directory entry as typed in its YAML (name, phones, ...).
            errors.extend(Reason(staff_("{key}: {problem}"), key=name, problem=problem) for problem in exc.args)
    return (None, errors) if errors else (row, [])


def _required_text(value, _entry, limit=300):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(Reason(staff_("is required")))
    if len(value) > limit:
        raise ValueError(Reason(staff_("is longer than {limit} characters"), limit=limit))
    return value.strip()


def _optional_text(value, _entry, limit=500):
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(Reason(staff_("must be text")))
    if len(value) > limit:
        raise ValueError(Reason(staff_("is longer than {limit} characters"), limit=limit))
    return value.strip()


def _id(value, entry):
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError(Reason(staff_("must be 2-80 lowercase letters, digits or dashes, e.g. ae-mohre-call-centre")))
    return value


def _category(value, _entry):
    if value not in CATEGORIES:
        raise ValueError(Reason(staff_("{value} is not one of {choices}"), value=repr(value), choices=", ".join(CATEGORIES)))
    return value


def _host_country(value, _entry):
    code = _country(value)
    if not code:
        raise ValueError(Reason(staff_("{value} is not an ISO 3166-1 alpha-2 country code such as AE"), value=repr(value)))
    return code


def _nationality(value, entry):
    if value in (None, ""):
        if entry.get("category") == "consulate":
            raise ValueError(Reason(staff_("a consulate needs the nationality it serves (ISO code, e.g. PH)")))
        return None
    code = _country(value)
    if not code:
        raise ValueError(Reason(staff_("{value} is not an ISO 3166-1 alpha-2 country code"), value=repr(value)))
    return code


def _string_list(value, _entry):
    if value in (None, ""):
        return "[]"
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(Reason(staff_("must be a list of names")))
    return json.dumps([v.strip() for v in value], ensure_ascii=False)


def _phones(value, entry):
    if value in (None, ""):
        return "[]"
    if not isinstance(value, list):
        raise ValueError(Reason(staff_("must be a list of {{number, kind, label}}")))
    country = _country(entry.get("country")) or "ZZ"
    phones, problems = [], []
    for i, phone in enumerate(value, 1):
        if not isinstance(phone, dict) or "number" not in phone:
            problems.append(Reason(staff_("#{n} needs a number"), n=i))
            continue
        kind = phone.get("kind", "voice")
        if kind not in PHONE_KINDS:
            problems.append(Reason(staff_("#{n} kind {kind} is not one of {kinds}"), n=i, kind=repr(kind),
                                   kinds=", ".join(PHONE_KINDS)))
        try:
            number = to_e164(str(phone["number"]), country)
        except InvalidPhone as exc:
            problems.append(Reason(staff_("#{n} {problem}"), n=i, problem=exc.args[0]))
            continue
        label = phone.get("label")
        phones.append({"number": number, "kind": kind, **({"label": str(label)} if label else {})})
    if problems:
        raise ValueError(*problems)
    return json.dumps(phones, ensure_ascii=False)


def _website(value, _entry):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _URL.match(value):
        raise ValueError(Reason(staff_("must be an http(s) address")))
    return value


def _hours(value, _entry):
    if value in (None, ""):
        return None
    if value == "always":
        return json.dumps("always")
    if not isinstance(value, list) or not value:
        raise ValueError(Reason(staff_('must be "always" or a list of {{days, open, close}}')))
    for i, span in enumerate(value, 1):
        if not isinstance(span, dict):
            raise ValueError(Reason(staff_("#{n} must be {{days, open, close}}"), n=i))
        days = span.get("days")
        if not isinstance(days, list) or not days or any(d not in DAYS for d in days):
            raise ValueError(Reason(staff_("#{n} days must be a list of {days}"), n=i, days=", ".join(DAYS)))
        for key in ("open", "close"):
            if not isinstance(span.get(key), str) or not _TIME.match(span[key]):
                raise ValueError(Reason(staff_("#{n} {key} must be a time like 08:00"), n=i, key=key))
    return json.dumps([{"days": s["days"], "open": s["open"], "close": s["close"]} for s in value])


def _languages(value, _entry):
    if value in (None, ""):
        return "[]"
    if not isinstance(value, list) or any(v not in language_codes() for v in value):
        raise ValueError(Reason(staff_("must be a list of ISO 639-1 language codes such as en, ar, tl")))
    return json.dumps(value)


def _serves(value, _entry):
    if value in (None, ""):
        return "{}"
    if not isinstance(value, dict) or set(value) - set(SERVES_KEYS):
        raise ValueError(Reason(staff_("must be a mapping with some of {keys}"), keys=", ".join(SERVES_KEYS)))
    nationality = value.get("nationality")
    if nationality is not None:
        if not isinstance(nationality, list) or any(not _country(c) for c in nationality):
            raise ValueError(Reason(staff_("nationality must be a list of ISO country codes")))
        value = {**value, "nationality": [c.upper() for c in nationality]}
    return json.dumps(value, ensure_ascii=False)


def _flag(value, _entry):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if str(value).lower() in ("true", "yes", "1"):
        return 1
    if str(value).lower() in ("false", "no", "0"):
        return 0
    raise ValueError(Reason(staff_("must be true or false")))


def _coordinate(index, low, high):
    def check(_value, entry):
        coords = entry.get("coordinates")
        if coords in (None, ""):
            return None
        if not isinstance(coords, list) or len(coords) != 2:
            raise ValueError(Reason(staff_("coordinates must be [latitude, longitude]")))
        try:
            value = float(coords[index])
        except (TypeError, ValueError):
            raise ValueError(Reason(staff_("must be a number"))) from None
        if not low <= value <= high:
            raise ValueError(Reason(staff_("must be between {low} and {high}"), low=low, high=high))
        return value
    return check


def _sources(value, _entry):
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and _URL.match(v) for v in value):
        raise ValueError(Reason(staff_("needs at least one public source (http(s) address): nothing unsourced is shipped as real")))
    return json.dumps(value)


def _verified_on(value, _entry):
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(Reason(staff_("{value} is not a date like 2026-11-23"), value=repr(value))) from None
    if day > date.today():
        raise ValueError(Reason(staff_("is in the future")))
    return day.isoformat()


_FIELDS = {
    "id": _id,
    "name": _required_text,
    "category": _category,
    "country": _host_country,
    "regions": _string_list,
    "nationality": _nationality,
    "address": _optional_text,
    "latitude": _coordinate(0, -90, 90),
    "longitude": _coordinate(1, -180, 180),
    "phones": _phones,
    "email": _optional_text,
    "website": _website,
    "hours": _hours,
    "languages": _languages,
    "serves": _serves,
    "free": _flag,
    "confidential": _flag,
    "notes": _optional_text,
    "sources": _sources,
    "verified_on": _verified_on,
    "demo": _flag,
}
# Fields an entry may carry that are not columns of their own.
_FIELDS_IN_FILE = set(_FIELDS) - {"latitude", "longitude"} | {"coordinates"}
