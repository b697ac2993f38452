"""Who is changing records when no web request is being served (plain Python, no Django)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_acting: ContextVar[str] = ContextVar("acompana_audit_acting", default="")


@contextmanager
def acting_as(who: str):
    """Name who changes records outside a request, e.g. 'acompana load-program'."""
    token = _acting.set(who)
    try:
        yield
    finally:
        _acting.reset(token)


def acting() -> str:
    return _acting.get()
