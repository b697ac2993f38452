"""The channels an alert leaves by, each an adapter with one `send(to, subject, body)`.

Credentials come from settings (the environment, see README); a channel without them is not
configured and no message is queued for it. Requests follow each provider's documentation:

- SMS: a Twilio-style REST API. POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json,
  HTTP basic auth (AccountSid, AuthToken), form fields To, From, Body; 201 with the message `sid`.
- WhatsApp: the WhatsApp Business Cloud API. POST {base}/{version}/{phone-number-id}/messages,
  `Authorization: Bearer <token>`, JSON {"messaging_product": "whatsapp", "to", "type":
  "template", "template": {"name", "language": {"code"}, "components": [...]}}; a message that
  starts a conversation must be an approved template. 200 with messages[0].id.
- E-mail: Django's mail settings.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from acompana.alerts.models import Channel


class SendFailed(Exception):
    """A message that did not leave. `retry` is False when trying again cannot help (the
    provider refused the number or the credentials), True for timeouts and server errors."""

    def __init__(self, reason: str, *, retry: bool):
        self.retry = retry
        super().__init__(reason)


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""


def e164(phone: str) -> str:
    """+52 963 000 0001 -> +529630000001 (what the SMS and WhatsApp APIs expect)."""
    digits = re.sub(r"\D", "", phone)
    return f"+{digits}" if phone.strip().startswith("+") else digits


def configured_channels() -> frozenset[str]:
    """The channels with credentials: only these get messages (and promises on screen)."""
    channels = set()
    if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
        channels.add(Channel.EMAIL)
    if settings.ACOMPANA_SMS["account_sid"] and settings.ACOMPANA_SMS["auth_token"]:
        channels.add(Channel.SMS)
    if settings.ACOMPANA_WHATSAPP["token"] and settings.ACOMPANA_WHATSAPP["phone_number_id"]:
        channels.add(Channel.WHATSAPP)
    return frozenset(channels)


def address(person, channel: str) -> str:
    """Where a person receives a channel's messages ('' when she has given none)."""
    return {Channel.EMAIL: person.email, Channel.SMS: person.phone,
            Channel.WHATSAPP: person.whatsapp or person.phone}[channel]


def send(channel: str, to: str, subject: str, body: str) -> Sent:
    match channel:
        case Channel.EMAIL:
            return _send_email(to, subject, body)
        case Channel.SMS:
            return _send_sms(to, body)
        case Channel.WHATSAPP:
            return _send_whatsapp(to, body)
    raise SendFailed(f"unknown channel {channel}", retry=False)


def _send_email(to: str, subject: str, body: str) -> Sent:
    try:
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
                  recipient_list=[to], fail_silently=False)
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        raise SendFailed(f"e-mail: {type(error).__name__}", retry=True) from error
    return Sent()


def _send_sms(to: str, body: str) -> Sent:
    sms = settings.ACOMPANA_SMS
    url = (f"{sms['base_url'].rstrip('/')}/2010-04-01/Accounts/"
           f"{urllib.parse.quote(sms['account_sid'])}/Messages.json")
    token = base64.b64encode(f"{sms['account_sid']}:{sms['auth_token']}".encode()).decode()
    form = urllib.parse.urlencode({"To": e164(to), "From": sms["from"], "Body": body})
    answer = _post(url, form.encode(), {"Authorization": f"Basic {token}",
                                        "Content-Type": "application/x-www-form-urlencoded"})
    return Sent(provider_id=str(answer.get("sid", "")))


def _send_whatsapp(to: str, body: str) -> Sent:
    whatsapp = settings.ACOMPANA_WHATSAPP
    url = (f"{whatsapp['base_url'].rstrip('/')}/{whatsapp['version']}/"
           f"{urllib.parse.quote(whatsapp['phone_number_id'])}/messages")
    payload = {"messaging_product": "whatsapp", "recipient_type": "individual",
               "to": e164(to).lstrip("+"), "type": "template",
               "template": {"name": whatsapp["template"],
                            "language": {"code": whatsapp["language"]},
                            "components": [{"type": "body", "parameters": [
                                {"type": "text", "text": body}]}]}}
    answer = _post(url, json.dumps(payload).encode(),
                   {"Authorization": f"Bearer {whatsapp['token']}",
                    "Content-Type": "application/json"})
    messages = answer.get("messages") or [{}]
    return Sent(provider_id=str(messages[0].get("id", "")))


def _post(url: str, data: bytes, headers: dict[str, str]) -> dict:
    """POST and read the JSON answer; what went wrong in a few words, never the credentials."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.ACOMPANA_ALERT_TIMEOUT) as response:  # noqa: S310 https from settings
            text = response.read(1_000_000)
    except urllib.error.HTTPError as error:
        # 429 and 5xx pass; other 4xx (a wrong number, a refused credential) will not.
        retry = error.code == 429 or error.code >= 500
        raise SendFailed(f"HTTP {error.code}", retry=retry) from error
    except TimeoutError as error:
        raise SendFailed("timed out", retry=True) from error
    except (urllib.error.URLError, OSError) as error:
        raise SendFailed(f"unreachable: {type(error).__name__}", retry=True) from error
    try:
        return json.loads(text or b"{}")
    except ValueError:
        return {}
