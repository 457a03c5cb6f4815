"""Why an edit or an import was refused, in words any language can give.

A `Reason` is the English sentence wherever a plain string is wanted (the
JSON API, the command line, logs) and keeps its template and values, so
the staff console can say it in the editor's language from the console
catalog (api/console_text.py). `staff_` marks a template for extraction
into that catalog (`make check-catalogs`).
"""
from __future__ import annotations


def staff_(message: str) -> str:
    """Marks a string for the console catalog; translated where it is shown."""
    return message


class Reason(str):
    """A template and its values; literal braces in a template are doubled,
    as for str.format. A value may itself be a Reason (translated too)."""

    template: str
    values: dict

    def __new__(cls, template: str, **values) -> Reason:
        reason = super().__new__(cls, template.format(**values))
        reason.template, reason.values = template, values
        return reason

    def __reduce__(self):  # copies (dataclasses.asdict) rebuild it from its parts
        return _rebuild, (self.template, self.values)


def _rebuild(template: str, values: dict) -> Reason:
    return Reason(template, **values)
