"""The chat API's request and response bodies (the public contract)."""
from __future__ import annotations

from functools import lru_cache

from babel import Locale
from pydantic import BaseModel, Field, StrictStr, validator

from locales import SUPPORTED_LANGUAGES

MAX_TEXT_CHARS = 2000


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to CLDR, without its pseudo-regions
    (ZZ unknown, EU, EZ, UN, QO, and the private-use X* codes except XK)."""
    pseudo = {"ZZ", "EU", "EZ", "UN", "QO"}
    return frozenset(
        code
        for code in Locale("en").territories
        if code.isalpha() and len(code) == 2 and code not in pseudo and (code[0] != "X" or code == "XK")
    )


class ChatRequest(BaseModel):
    sender_id: StrictStr = Field(..., min_length=1, max_length=128, description="The channel's id for this user (a browser id); stored only as a keyed hash.")
    text: StrictStr = Field(..., max_length=MAX_TEXT_CHARS, description="What the user wrote (1-2000 characters).")
    language: str | None = Field(None, description=f"Force the conversation language: one of {', '.join(SUPPORTED_LANGUAGES)}.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the country the user is in, if known.")

    @validator("text")
    def text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be empty")
        return value.strip()

    @validator("language")
    def language_supported(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported language {value!r}; use one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @validator("country")
    def country_known(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().upper()
        if value not in _countries():
            raise ValueError(f"unknown country {value!r}; use an ISO 3166-1 alpha-2 code such as 'AE'")
        return value


class Button(BaseModel):
    title: str
    payload: str


class Message(BaseModel):
    text: str
    buttons: list[Button] = []


class ChatResponse(BaseModel):
    sender_id: str
    language: str
    topic: str | None = Field(None, description="Outline id of the topic answered, if any.")
    service_categories: list[str] = []
    escalated: bool = False
    messages: list[Message]
