"""Shared dependencies, as Annotated aliases."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.assistant import Assistant
from api.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def get_sender_key(request: Request) -> bytes:
    return request.app.state.sender_key


SettingsDep = Annotated[Settings, Depends(get_settings)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
SenderKeyDep = Annotated[bytes, Depends(get_sender_key)]
