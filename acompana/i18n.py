"""Showing the pure domain's messages in the reader's language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from acompana.domain.messages import Message


def say(message: Message) -> str:
    """The message in the active language; values that are messages themselves translated too."""
    if not message.params:
        return gettext(message.text)
    return gettext(message.text) % {
        key: say(value) if isinstance(value, Message) else value
        for key, value in message.params.items()}


class ProgramLanguageMiddleware:
    """Spanish first: the interface speaks the program's language until a person picks another.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a shared tablet
    set up in English would greet an Acompañante in English; here only her choice (the language
    cookie set by the switch) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def records_summary(new: int, known: int) -> str:
    """'3 nuevas, 2 ya estaban': the records of a cumulative export imported now and before."""
    return ", ".join((
        ngettext("%(count)s new", "%(count)s new", new) % {"count": new},
        ngettext("%(count)s already there", "%(count)s already there", known)
        % {"count": known}))


def say_problem(problem) -> str:
    """A tabular Problem (acompana.domain.tabular) in the reader's language: where, then what."""
    where = ", ".join(gettext(text) % params for text, params in problem.place())
    return f"{where}: {say(problem.message)}" if where else say(problem.message)
