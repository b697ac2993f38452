"""Showing the pure domain's messages in the reader's language."""

from django.utils.translation import gettext

from acompana.domain.messages import Message


def say(message: Message) -> str:
    return gettext(message.text) % message.params if message.params else gettext(message.text)
