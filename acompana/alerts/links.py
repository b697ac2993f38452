"""Links a phone opens by itself: a call, or a WhatsApp chat with the text ready to send. The
alert with no provider configured: a person taps and sends it from her own phone."""

from __future__ import annotations

import re
import urllib.parse


def tel_link(phone: str) -> str:
    """tel:+529630000001 ('' without a number)."""
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}" if digits else ""


def whatsapp_link(phone: str, text: str) -> str:
    """https://wa.me/529630000001?text=... (WhatsApp's click-to-chat: digits only, with the
    country code, no +)."""
    digits = re.sub(r"\D", "", phone)
    return f"https://wa.me/{digits}?text={urllib.parse.quote(text)}" if digits else ""
