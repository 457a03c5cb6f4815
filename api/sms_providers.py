"""Sending SMS through a provider's API: Twilio, or a generic HTTP gateway
as NGOs run (RapidPro/TextIt "external" channel style).

Both raise `TransientError` for what may work later (timeouts, 429, 5xx)
and `PermanentError` for what never will (bad number, bad credentials).
"""
from __future__ import annotations

from dataclasses import dataclass

import httpx

TIMEOUT = 15.0


class TransientError(RuntimeError):
    pass


class PermanentError(RuntimeError):
    pass


def _classify(status: int, detail: str) -> Exception:
    if status == 429 or status >= 500:
        return TransientError(f"HTTP {status}: {detail[:200]}")
    return PermanentError(f"HTTP {status}: {detail[:200]}")


@dataclass
class TwilioProvider:
    """Twilio's Messages API through the official client."""

    account_sid: str
    auth_token: str
    from_number: str
    api_base_url: str | None = None  # a stand-in server in tests

    name = "twilio"

    def send(self, to: str, body: str, status_callback: str | None) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException
        from twilio.rest import Client

        client = Client(self.account_sid, self.auth_token)
        if self.api_base_url:
            client.api.base_url = self.api_base_url
        try:
            message = client.messages.create(
                to=to, from_=self.from_number, body=body,
                **({"status_callback": status_callback} if status_callback else {}),
            )
        except TwilioRestException as exc:
            raise _classify(exc.status, exc.msg) from None
        except (TwilioException, OSError) as exc:  # network trouble
            raise TransientError(str(exc)) from None
        return message.sid


@dataclass
class HttpGatewayProvider:
    """POST to=..&text=.. (form, and status_callback=.. when there is one)
    to a gateway URL, RapidPro style; the gateway answers 2xx, optionally
    with {"id": ...}, and may report delivery to /sms/http/status."""

    send_url: str
    token: str = ""

    name = "http"

    def send(self, to: str, body: str, status_callback: str | None) -> str:
        headers = {"Authorization": f"Token {self.token}"} if self.token else {}
        try:
            form = {"to": to, "text": body, **({"status_callback": status_callback} if status_callback else {})}
            response = httpx.post(self.send_url, data=form, headers=headers, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            raise TransientError(str(exc)) from None
        if response.status_code >= 300:
            raise _classify(response.status_code, response.text)
        try:
            return str(response.json().get("id") or "")
        except ValueError:
            return ""


def from_settings(settings) -> TwilioProvider | HttpGatewayProvider | None:
    if settings.sms_provider == "twilio" and settings.twilio_account_sid:
        return TwilioProvider(settings.twilio_account_sid, settings.twilio_auth_token, settings.sms_from_number,
                              settings.twilio_api_base_url or None)
    if settings.sms_provider == "http" and settings.sms_http_send_url:
        return HttpGatewayProvider(settings.sms_http_send_url, settings.sms_http_token)
    return None
