"""Ready-made operator replies, in the conversation's language (catalogs)."""
from __future__ import annotations

from locales import SUPPORTED_LANGUAGES, gettext_for


def canned_replies(lang: str | None) -> list[str]:
    _ = gettext_for(lang if lang in SUPPORTED_LANGUAGES else "en")
    return [
        _("Hello, I am a person from the support team. I have read your messages."),
        _("Are you safe right now?"),
        _("Can you tell me in which city you are?"),
        _("I will look for a service that can help you and write back soon."),
        _("Thank you. The assistant will answer you again now; write \"person\" if you need us."),
    ]
