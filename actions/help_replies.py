"""Directory answers in the user's language: services, emergency numbers,
and the questions the bot asks to find them.

Names, addresses and numbers are shown as the directory holds them; days,
times, dates, country and language names come from CLDR via Babel, in the
user's locale.
"""
from __future__ import annotations

from datetime import date, time

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list

from actions.categories import category_name
from actions.replies import help_buttons, message
from directory.phones import international
from directory.records import DAYS
from directory.search import EmergencyNumbers, Service
from locales import gettext_for, text_direction


def _isolate(text: str, lang: str) -> str:
    """Keep Latin names and numbers whole inside Arabic text."""
    return f"\u2068{text}\u2069" if text_direction(lang) == "rtl" else text


def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code, code)


def _day_ranges(days: list[str], lang: str) -> str:
    names = get_day_names("abbreviated", locale=lang)  # 0 = Monday
    idx = sorted(DAYS.index(d) for d in days)
    # Rotate so a run across Sunday (sat, sun, mon ...) stays one run.
    for start in range(len(idx)):
        rotated = idx[start:] + idx[:start]
        if all((b - a) % 7 == 1 for a, b in zip(rotated, rotated[1:], strict=False)):
            if len(rotated) > 2:
                return f"{names[rotated[0]]}–{names[rotated[-1]]}"
            break
    return format_list([names[i] for i in idx], locale=lang)


def hours_text(hours, lang: str) -> str | None:
    _ = gettext_for(lang)
    if hours is None:
        return None
    if hours == "always":
        return _("Open 24 hours, every day")
    spans = []
    for span in hours:
        opens, closes = (time.fromisoformat(span[k]) for k in ("open", "close"))
        times = f"{format_time(opens, 'short', locale=lang)}–{format_time(closes, 'short', locale=lang)}"
        spans.append(f"{_day_ranges(span['days'], lang)} {times}")
    return "; ".join(spans)


def languages_text(codes: list[str], lang: str) -> str | None:
    if not codes:
        return None
    names = Locale.parse(lang).languages
    return format_list([names.get(c, c) for c in codes], locale=lang)


def _serves_text(service: Service, lang: str) -> str | None:
    _ = gettext_for(lang)
    parts = []
    if service.serves.get("nationality"):
        parts.append(_("nationals of {countries}").format(
            countries=format_list([country_name(c, lang) for c in service.serves["nationality"]], locale=lang)))
    if service.serves.get("gender") == "women":
        parts.append(_("women"))
    if service.serves.get("group") == "domestic_workers":
        parts.append(_("domestic workers"))
    return format_list(parts, locale=lang) if parts else None


def _stale(service_date: date, max_age_days: int, today: date | None = None) -> bool:
    return ((today or date.today()) - service_date).days > max_age_days


def service_text(service: Service, lang: str, *, max_age_days: int, short: bool = False) -> str:
    _ = gettext_for(lang)
    lines = [service.name]
    if service.demo:
        lines[0] += " " + _("(DEMO DATA: not a real service)")
    lines += [_isolate(international(p["number"]), lang) + ("" if p["kind"] == "voice" else f" ({p['kind']})")
              for p in service.phones[: 1 if short else 2]]
    hours = hours_text(service.hours, lang)
    if hours:
        lines.append(hours if short else _("Hours: {hours}").format(hours=hours))
    langs = languages_text(service.languages, lang)
    if langs and not short:
        lines.append(_("Languages: {languages}").format(languages=langs))
    if not short:
        serves = _serves_text(service, lang)
        if serves:
            lines.append(_("For: {people}").format(people=serves))
        flags = [f for f, on in ((_("free"), service.free), (_("confidential"), service.confidential)) if on]
        if flags:
            lines.append(format_list(flags, locale=lang).capitalize())
        if service.address:
            lines.append(_isolate(service.address, lang))
        if service.website:
            lines.append(_isolate(service.website, lang))
        if not service.phones and service.email:
            lines.append(_isolate(service.email, lang))
    if _stale(service.verified_on, max_age_days):
        lines.append(_("Last verified on {date}.").format(date=format_date(service.verified_on, "medium", locale=lang)))
    return "\n".join(lines)


def services(found: list[Service], category: str, country: str, lang: str, *, max_age_days: int, short: bool) -> list[dict]:
    _ = gettext_for(lang)
    head = _("{category} in {country}:").format(category=category_name(category, lang), country=country_name(country, lang))
    blocks = [service_text(s, lang, max_age_days=max_age_days, short=short) for s in found]
    if short:
        blocks = [f"{i}) {b}" for i, b in enumerate(blocks, 1)]
    return [message("\n\n".join([head, *blocks]))]


def none_found(category: str, country: str, lang: str, numbers: EmergencyNumbers | None) -> list[dict]:
    _ = gettext_for(lang)
    parts = [_("I do not have a checked contact for {category} in {country} yet. "
               "I only share contacts that have been verified.").format(
        category=category_name(category, lang), country=country_name(country, lang))]
    if category == "consulate":
        parts.append(_("The website of your country's foreign ministry lists its embassies and consulates."))
    parts.append(danger_line(numbers, lang))
    return [message("\n\n".join(parts))]


def danger_line(numbers: EmergencyNumbers | None, lang: str) -> str:
    _ = gettext_for(lang)
    if numbers is None:
        return _("If you are in danger now, call the local emergency number.")
    return _("If you are in danger now, call {number}.").format(number=_isolate(numbers.first, lang))


def emergency_numbers_text(numbers: EmergencyNumbers, lang: str) -> str:
    _ = gettext_for(lang)
    labels = {"police": _("Police"), "ambulance": _("Ambulance"), "fire": _("Fire brigade")}
    first = _("Call {number} now.").format(number=_isolate(numbers.first, lang))
    detail = [f"{labels[k]}: {_isolate(v, lang)}" for k, v in numbers.numbers.items() if k in labels]
    return "\n".join([first, *([" · ".join(detail)] if detail else [])])


def emergency(numbers: EmergencyNumbers | None, hotlines: list[Service], lang: str, *, max_age_days: int, short: bool) -> list[dict]:
    """The first reply to someone in danger: the number first, then the rest."""
    _ = gettext_for(lang)
    if numbers is not None:
        first = "\n".join([
            _("If you or someone else is in danger now:"),
            emergency_numbers_text(numbers, lang),
            _("If you can, go to a safe place or stay near other people."),
        ])
    else:
        first = "\n".join([
            _("If you or someone else is in danger now, call the local emergency number "
              "(police or ambulance) right away. If you can, go to a safe place "
              "or stay near other people."),
            _("Which country are you in? I will give you its emergency number."),
        ])
    out = [message(first)]
    if hotlines:
        out.append(message(_("A hotline that can help:") + "\n\n" + "\n\n".join(
            service_text(s, lang, max_age_days=max_age_days, short=short) for s in hotlines)))
    out.append(message(_("I have asked a person from our team to read this conversation."),
                       help_buttons(["hotline", "shelter"], lang)))
    return out


def ask_country(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("Where are you now? Tell me the country or the city."))]


def ask_nationality(lang: str) -> list[dict]:
    _ = gettext_for(lang)
    return [message(_("Which country are you from? I will look for its consulate."))]


def nearby_help(found: list[Service], country: str, lang: str, *, max_age_days: int) -> dict:
    """The help line that ends an answer about rights, for the user's country."""
    _ = gettext_for(lang)
    head = _("Help in {country}:").format(country=country_name(country, lang))
    return message("\n\n".join([head, *(service_text(s, lang, max_age_days=max_age_days, short=True) for s in found)]))
