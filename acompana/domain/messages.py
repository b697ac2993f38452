"""Messages the pure domain returns to people, marked for translation without importing Django.

`N_` marks a message id for `makemessages --keyword=N_`; the Django layer translates it with
`gettext(message) % params` when it shows it (see `acompana.i18n.say`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def N_(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    """A sentence for a person: a message id and the values it mentions."""

    text: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % self.params if self.params else self.text
