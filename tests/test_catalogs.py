"""Every supported language has a complete, compiled catalog."""
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import CATALOG_DIR, SUPPORTED_LANGUAGES, text_direction, translations

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", [code for code in SUPPORTED_LANGUAGES if code != "en"])
def test_catalog_is_compiled_complete_and_translates(lang):
    po = CATALOG_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    # A plural entry's string is a tuple, one per plural form: all must be there.
    missing = [m.id for m in catalog if m.id and not all(m.string if m.pluralizable else [m.string])]
    assert not missing, f"{lang}: untranslated: {missing}"
    assert not [m.id for m in catalog if m.id and m.fuzzy], f"{lang}: fuzzy entries"
    # The compiled catalog is loaded (not silently NullTranslations).
    assert translations(lang).gettext("Send") != "Send"


def test_placeholders_survive_translation():
    for lang in SUPPORTED_LANGUAGES:
        assert "{sources}" in translations(lang).gettext("Sources: {sources}.")
        many = translations(lang).ngettext("Someone usually answers within {minutes} minute.",
                                           "Someone usually answers within {minutes} minutes.", 60)
        assert "{minutes}" in many, lang


def test_arabic_is_right_to_left():
    assert text_direction("ar") == "rtl"
    assert {text_direction(code) for code in ("en", "es", "fr")} == {"ltr"}


def test_catalogs_are_up_to_date_with_the_code(tmp_path):
    """Every string in the code is in every catalog, and no catalog keeps a
    string the code no longer has. (`pybabel update --check` also compares
    the POT creation date, so it fails whenever the minute changes.)"""
    pot = tmp_path / "messages.pot"
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "pybabel", "-q", "extract", "-F", "pyproject.toml", "-c", "TRANSLATORS:", "--no-location",
         "--sort-output", "-o", pot, "actions", "api", "locales"],
        cwd=ROOT, check=True,
    )
    with pot.open("rb") as f:
        in_code = {m.id for m in read_po(f) if m.id}
    for lang in SUPPORTED_LANGUAGES:
        with (CATALOG_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
            in_catalog = {m.id for m in read_po(f) if m.id}
        assert in_code - in_catalog == set(), f"{lang}: missing, run `make check-catalogs`"
        assert in_catalog - in_code == set(), f"{lang}: obsolete strings"


def test_lists_in_help_replies_follow_the_language():
    """"Mon, Wed and Fri" in each language's own way: Arabic joins with و,
    never with a Latin comma."""
    from actions.help_replies import hours_text

    hours = [{"days": ["mon", "wed", "fri"], "open": "09:00", "close": "17:00"}]
    assert ", " not in hours_text(hours, "ar") and " و" in hours_text(hours, "ar")
    assert " y " in hours_text(hours, "es") and " et " in hours_text(hours, "fr")
