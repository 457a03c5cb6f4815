"""POST /sms/twilio (and /sms/http for a generic gateway): the same
assistant over SMS, for basic phones.

Checks Twilio's signature or the gateway's token (403 otherwise), answers
each message id once
(a provider retry gets the stored reply), honours opt-outs, and renders
answers for SMS: short answers, numbered options, a segment limit.
"""
from __future__ import annotations

import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from actions.replies import language_menu
from api import conversations, escalations, sms_numbers, sms_outbox, sms_state
from api.assistant import NotReady
from api.converse import converse
from api.deps import AssistantDep, SenderKeyDep, SettingsDep
from api.privacy import pseudonym
from api.sms_keywords import keyword
from api.sms_render import cut, render
from directory import phones
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, gettext_for

router = APIRouter(prefix="/sms", tags=["sms"])
logger = logging.getLogger(__name__)
MAX_SMS_CHARS = 1600  # Twilio's own limit for one inbound message


def _twiml(text: str) -> str:
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": "sms_rejected", "message": message}, status_code=status)


@router.post("/twilio", response_class=Response, responses={400: {}, 403: {}, 503: {}})
async def twilio_webhook(request: Request, settings: SettingsDep, assistant: AssistantDep, key: SenderKeyDep):
    """Twilio's incoming-message webhook (form-encoded); answers with TwiML."""
    params = await _signed_params(request, settings)
    if params is None:
        return _error(403, "invalid or missing X-Twilio-Signature")
    reply = await _inbound(request, settings, assistant, key, params, ("From", "MessageSid", "Body"))
    return reply if isinstance(reply, Response) else Response(_twiml(reply), media_type="application/xml")


@router.post("/http", responses={400: {}, 403: {}, 503: {}})
async def gateway_webhook(request: Request, settings: SettingsDep, assistant: AssistantDep, key: SenderKeyDep):
    """A generic HTTP gateway's incoming message (SMS_PROVIDER=http): form
    or JSON with `from`, `text` and `id`, authenticated by SMS_HTTP_TOKEN
    ("Authorization: Token ..."); the reply is in the response,
    {"reply": "..."}, empty when nothing is to be sent."""
    params = await _gateway_params(request, settings)
    if params is None:
        return _error(403, "invalid or missing gateway token")
    # A gateway's ids may be counters that start again: unique per sender only.
    reply = await _inbound(request, settings, assistant, key, params, ("from", "id", "text"), per_sender=True)
    return reply if isinstance(reply, Response) else JSONResponse({"reply": reply})


async def _inbound(request: Request, settings, assistant, key, params: dict, fields: tuple[str, str, str],
                   per_sender: bool = False) -> str | Response:
    """One incoming SMS, whatever the provider: the reply to send, or an
    error. `fields` names the provider's sender, message id and text."""
    sender_field, id_field, body_field = fields
    missing = [f for f in (sender_field, id_field) if not params.get(f, "").strip()]
    missing += [body_field] if body_field not in params else []
    if missing:
        return _error(400, f"missing fields: {', '.join(missing)}")
    sender, message_id, body = params[sender_field], params[id_field], params[body_field]
    if len(body) > MAX_SMS_CHARS or len(message_id) > 64 or len(sender) > 64:
        return _error(400, "a field is longer than an SMS allows")
    db = settings.app_db
    conversation_id = pseudonym(key, "sms", sender)
    if per_sender:
        message_id = f"{conversation_id}:{message_id}"
    if (reply := sms_state.answered(db, message_id)) is not None:
        return reply
    try:
        reply, state = await _answer(settings, assistant, conversation_id, body, phones.country_of(sender))
    except NotReady:
        return _error(503, f"the assistant is {assistant.status}; the provider will retry")
    sms_state.record(db, message_sid=message_id, conversation_id=conversation_id, reply=reply, state=state)
    if escalations.is_open(db, conversation_id):
        # A person may answer by SMS: only now is the number kept (encrypted).
        sms_numbers.keep(db, request.app.state.sms_fernet, conversation_id, sender)
    return reply


async def _gateway_params(request: Request, settings) -> dict | None:
    """The gateway's fields (form or JSON) if it sent our token, else None."""
    given = request.headers.get("authorization", "").removeprefix("Token ").strip()
    if not settings.sms_http_token or not secrets.compare_digest(given.encode(), settings.sms_http_token.encode()):
        return None
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return {}
    else:
        data = await request.form()
    return {k: str(v) for k, v in data.items() if isinstance(v, (str, int))}


async def _signed_params(request: Request, settings) -> dict | None:
    """The form, if Twilio signed it for our public URL; else None."""
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("x-twilio-signature", "")
    if not settings.twilio_auth_token or not RequestValidator(settings.twilio_auth_token).validate(url, params, signature):
        return None
    return params


@router.post("/twilio/status", status_code=204, responses={403: {}, 404: {}})
async def twilio_status(request: Request, settings: SettingsDep):
    """Twilio's status callback for messages we sent: delivered, or failed
    (retried with back-off when the failure may pass)."""
    params = await _signed_params(request, settings)
    if params is None:
        return _error(403, "invalid or missing X-Twilio-Signature")
    if not params.get("MessageSid") or not params.get("MessageStatus"):
        return _error(400, "missing fields: MessageSid, MessageStatus")
    known = sms_outbox.receipt(settings.app_db, params["MessageSid"], params["MessageStatus"], params.get("ErrorCode"),
                               base_seconds=settings.sms_retry_base_seconds)
    return Response(status_code=204) if known else _error(404, "unknown MessageSid")


@router.post("/http/status", status_code=204, responses={400: {}, 403: {}, 404: {}})
async def gateway_status(request: Request, settings: SettingsDep):
    """The generic gateway's delivery receipt: `id` (as it answered when
    sending) and `status` (delivered, failed), optionally `error`."""
    params = await _gateway_params(request, settings)
    if params is None:
        return _error(403, "invalid or missing gateway token")
    if not params.get("id") or params.get("status") not in ("delivered", "failed", "sent"):
        return _error(400, "fields: id, and status delivered, failed or sent")
    known = sms_outbox.receipt(settings.app_db, params["id"], params["status"], params.get("error"),
                               base_seconds=settings.sms_retry_base_seconds)
    return Response(status_code=204) if known else _error(404, "unknown id")


async def _answer(settings, assistant, conversation_id: str, body: str,
                  number_country: str | None = None) -> tuple[str, sms_state.SmsState]:
    db = settings.app_db
    state = sms_state.load(db, conversation_id)
    before = conversations.get(db, conversation_id)
    lang = before.language if before and before.language else DEFAULT_LANGUAGE
    _ = gettext_for(lang)
    word = keyword(body)
    if word == "stop":
        state.opted_out, state.options, state.pending = True, [], ""
        return _("You will get no more messages from this service. Reply START to get them again."), state
    if word == "start":
        state.opted_out = False
        return _("You will get messages again. Write your question."), state
    if state.opted_out:
        return "", state  # nothing is sent to a number that opted out
    if word == "help":
        return _(
            "Free information on the rights of migrants. Write your question in your language. "
            "Reply STOP to stop messages, LANG to change language. For a person, contact free legal help or a hotline."
        ), state
    if word == "more" and state.pending:
        text, state.pending = cut(state.pending, lang, settings.sms_max_segments)
        return text, state
    if word == "language":
        text, state.options = render(language_menu(lang), lang)
        return cut_and_keep(text, lang, settings, state)
    text = body.strip() or "?"
    if word in SUPPORTED_LANGUAGES:
        text = f'/change_language{{"language": "{word}"}}'
    elif text.isdigit() and 0 < int(text) <= len(state.options):
        text = state.options[int(text) - 1]
    turn = await converse(
        assistant=assistant, app_db=db, conversation_id=conversation_id, channel="sms",
        # The country of the number is where the user most likely is, until
        # they name another place.
        text=text, language=None, country=None if before and before.country else number_country,
        tracker_db=settings.tracker_db,
    )
    reply, state.options = render(turn.messages, turn.language)
    return cut_and_keep(reply, turn.language, settings, state)


def cut_and_keep(text: str, lang: str, settings, state: sms_state.SmsState):
    head, state.pending = cut(text, lang, settings.sms_max_segments)
    return head, state
