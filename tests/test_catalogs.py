"""Every supported language has complete, compiled catalogs: what migrants
read (domain `messages`) and the staff console (domain `console`)."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import (
    CATALOG_DIR,
    CONSOLE_DOMAIN,
    DOMAINS,
    SUPPORTED_LANGUAGES,
    text_direction,
    translations,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", [code for code in SUPPORTED_LANGUAGES if code != "en"])
def test_catalog_is_compiled_complete_and_translates(lang, domain):
    po = CATALOG_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    # A plural entry's string is a tuple, one per plural form: all must be there.
    missing = [m.id for m in catalog if m.id and not all(m.string if m.pluralizable else [m.string])]
    assert not missing, f"{lang}: untranslated: {missing}"
    assert not [m.id for m in catalog if m.id and m.fuzzy], f"{lang}: fuzzy entries"
    # The compiled catalog is loaded (not silently NullTranslations).
    known = {"messages": "Send", "console": "Sign in"}[domain]
    assert translations(lang, domain).gettext(known) != known


def test_placeholders_survive_translation():
    for lang in SUPPORTED_LANGUAGES:
        assert "{sources}" in translations(lang).gettext("Sources: {sources}.")
        many = translations(lang).ngettext("Someone usually answers within {minutes} minute.",
                                           "Someone usually answers within {minutes} minutes.", 60)
        assert "{minutes}" in many, lang


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_translation_keeps_its_placeholders(domain):
    """A translation that drops, renames or un-doubles a {placeholder} would
    break the page or the reply that fills it in: each must format with the
    source's fields and use no other."""
    from string import Formatter

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}

    for lang in SUPPORTED_LANGUAGES:
        with (CATALOG_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if not message.id or not message.string:
                continue
            source = message.id[1] if message.pluralizable else message.id
            forms = [form for form in message.string if form] if message.pluralizable else [message.string]
            for form in forms:
                assert form.format(**dict.fromkeys(fields(source), "x")), (lang, message.id)
                # A plural form for "one" may say the number in words ("دقيقة واحدة").
                assert fields(form) <= fields(source) if message.pluralizable else fields(form) == fields(source), \
                    (lang, message.id)


def test_arabic_is_right_to_left():
    assert text_direction("ar") == "rtl"
    assert {text_direction(code) for code in ("en", "es", "fr")} == {"ltr"}


def test_catalogs_are_up_to_date_with_the_code(tmp_path):
    """Every string in the code is in every catalog, and no catalog keeps a
    string the code no longer has. (`pybabel update --check` also compares
    the POT creation date, so it fails whenever the minute changes.)"""
    pybabel = Path(sys.executable).parent / "pybabel"
    extract = {  # as `make check-catalogs` does
        "messages": ["-F", "pyproject.toml", "actions", "api", "locales", "directory"],
        "console": ["-F", "locales/console.cfg", "-k", "staff_", "api", "knowledge", "directory"],
    }
    for domain, how in extract.items():
        pot = tmp_path / f"{domain}.pot"
        subprocess.run([pybabel, "-q", "extract", "-c", "TRANSLATORS:", "--no-location", "-o", pot, *how],
                       cwd=ROOT, check=True)
        with pot.open("rb") as f:
            in_code = {m.id for m in read_po(f) if m.id}
        assert in_code, domain
        for lang in SUPPORTED_LANGUAGES:
            with (CATALOG_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
                in_catalog = {m.id for m in read_po(f) if m.id}
            assert in_code - in_catalog == set(), f"{lang} {domain}: missing, run `make check-catalogs`"
            assert in_catalog - in_code == set(), f"{lang} {domain}: obsolete strings"


def test_no_console_string_leaks_into_the_migrants_catalog():
    """The two catalogs stay apart: a string marked for staff pages is not
    asked of the people translating what migrants read, and the reverse."""
    with (CATALOG_DIR / "messages.pot").open("rb") as f:
        messages = {m.id for m in read_po(f) if m.id}
    with (CATALOG_DIR / f"{CONSOLE_DOMAIN}.pot").open("rb") as f:
        console = {m.id for m in read_po(f) if m.id}
    assert "Sign in" in console and "Send" in messages
    assert not {"Sign in", "Queue", "Knowledge base"} & messages


def test_lists_in_help_replies_follow_the_language():
    """"Mon, Wed and Fri" in each language's own way: Arabic joins with و,
    never with a Latin comma."""
    from actions.help_replies import hours_text

    hours = [{"days": ["mon", "wed", "fri"], "open": "09:00", "close": "17:00"}]
    assert ", " not in hours_text(hours, "ar") and " و" in hours_text(hours, "ar")
    assert " y " in hours_text(hours, "es") and " et " in hours_text(hours, "fr")
