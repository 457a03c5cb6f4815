"""Phone numbers: checked and stored in E.164, shown in international format.

libphonenumber (the `phonenumbers` port) knows every country's numbering
plan, so a mistyped or invented number is refused at import time.
"""
from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat

from locales.reasons import Reason, staff_


class InvalidPhone(ValueError):
    pass


def to_e164(number: str, country: str) -> str:
    """`number` as written in `country` (or with +code) -> "+971563535558"."""
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(Reason(staff_("{number} is not a phone number ({detail})"), number=repr(number),
                                  detail=str(exc))) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(Reason(staff_("{number} is not a valid number in {country}"), number=repr(number), country=country))
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def international(e164: str) -> str:
    """"+971563535558" -> "+971 56 353 5558"."""
    return phonenumbers.format_number(phonenumbers.parse(e164, None), PhoneNumberFormat.INTERNATIONAL)


def is_emergency_number(number: str, country: str) -> bool:
    """libphonenumber's own opinion, a second check on the sourced table."""
    return phonenumbers.is_emergency_number(number, country)


def country_of(number: str) -> str | None:
    """The country a phone number belongs to (ISO code), or None: an SMS
    from a local SIM says where the user most likely is."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    return region if region and region != "ZZ" else None
