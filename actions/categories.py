"""Names and descriptions of the help categories, in the user's language."""
from __future__ import annotations

from locales import gettext_for

CATEGORIES = (
    "emergency", "hotline", "shelter", "legal_aid", "labour_inspection",
    "medical", "psychosocial", "consulate", "asylum", "iom",
)


def category_name(category: str, lang: str) -> str:
    _ = gettext_for(lang)
    return {
        "emergency": _("Emergency services"),
        "hotline": _("Confidential hotline"),
        "shelter": _("Shelter"),
        "legal_aid": _("Free legal help"),
        "labour_inspection": _("Labour inspection"),
        "medical": _("Medical care"),
        "psychosocial": _("Counselling"),
        "consulate": _("Your consulate"),
        "asylum": _("Asylum office"),
        "iom": _("Help to return home (IOM)"),
    }[category]


def category_description(category: str, lang: str) -> str:
    _ = gettext_for(lang)
    return {
        "emergency": _("Police, ambulance and fire brigade. Call them when someone is in danger now."),
        "hotline": _("A confidential phone line where you can report abuse at work or ask for advice."),
        "shelter": _("A safe place to stay if you had to leave your home or your employer's house."),
        "legal_aid": _("Lawyers or advisers who help for free, for example with unpaid wages or your papers."),
        "labour_inspection": _("The public office that checks employers and takes complaints about work."),
        "medical": _("Clinics that treat migrants whatever their papers say."),
        "psychosocial": _("People who listen and help you cope after something hard happened."),
        "consulate": _("The office of your own country. It can help with passports and problems abroad."),
        "asylum": _("The office that receives requests for protection from persecution."),
        "iom": _("The International Organization for Migration helps people who want to go home safely."),
    }[category]
