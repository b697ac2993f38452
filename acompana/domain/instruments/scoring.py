"""Score one person's answers to one instrument exactly as its manual says.

Missing answers are never prorated silently: where a manual has no rule, the result is "not
scorable" with the reason. Care flags are checked even when the total is not scorable, because
an answer such as PHQ-9 item 9 needs a response whatever else is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from acompana.domain.instruments.model import Band, Instrument, Text
from acompana.domain.instruments.registry import get_instrument

Answer = int | None
Responses = Mapping[int, Answer] | Sequence[Answer]


class ResponseError(ValueError):
    """Answers that do not fit the instrument; lists every problem, not only the first."""

    def __init__(self, instrument: Instrument, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{instrument.short_name} answers are not valid:\n{listed}")


@dataclass(frozen=True)
class CareFlag:
    """A result that opens the path to care, and why."""

    key: str
    reason: Text
    detail: str


@dataclass(frozen=True)
class SubscaleScore:
    key: str
    name: Text
    value: float | None
    band: Band | None
    answered: int
    items: int
    scorable: bool
    reason: Text | None = None


@dataclass(frozen=True)
class Score:
    """One scored form: `total` is what the manual reports (WHO-5: percentage), `raw` the sum.

    `scorable` is False if the total, or any subscale (CBI), cannot be computed; each subscale
    carries its own flag and reason. `band` is None for the CBI (bands are per subscale).
    """

    instrument: str
    total: float | None
    raw: int | None
    subscales: Mapping[str, SubscaleScore]
    band: Band | None
    scorable: bool
    reason: Text | None
    care_flags: tuple[CareFlag, ...]
    answers: Mapping[int, Answer] = field(repr=False)


def score(instrument_id: str, responses: Responses) -> Score:
    """Score answers given by item number (mapping) or in item order (sequence; None = missing)."""
    instrument = get_instrument(instrument_id)
    answers = check_responses(instrument, responses)
    scored = _scored_values(instrument, answers)
    if instrument.scoring.method == "sum":
        return _score_sum(instrument, answers, scored)
    return _score_subscale_means(instrument, answers, scored)


def check_responses(instrument: Instrument, responses: Responses) -> dict[int, Answer]:
    """Answers by item number for every item, or a ResponseError naming each bad answer."""
    answers, problems = read_responses(instrument, responses)
    if problems:
        raise ResponseError(instrument, problems)
    return answers


def read_responses(
    instrument: Instrument, responses: Responses
) -> tuple[dict[int, Answer], list[str]]:
    """Answers by item number, and the problems found (item number, value given, allowed values)."""
    count = len(instrument.items)
    problems: list[str] = []
    if isinstance(responses, Mapping):
        given = dict(responses)
        for number in sorted(set(given) - set(range(1, count + 1)), key=str):
            problems.append(
                f"item {number!r}: no such item; {instrument.short_name} has items 1-{count}"
            )
    elif isinstance(responses, Sequence) and not isinstance(responses, str | bytes):
        if len(responses) != count:
            problems.append(
                f"expected {count} answers (items 1-{count}) in order, got {len(responses)}"
            )
        given = dict(enumerate(responses, start=1))
    else:
        raise TypeError("responses must be a mapping of item number to answer, or a sequence")
    answers = {number: given.get(number) for number in range(1, count + 1)}
    for number, value in answers.items():
        problem = _answer_problem(instrument, number, value)
        if problem:
            problems.append(problem)
    return answers, problems


def _answer_problem(instrument: Instrument, number: int, value: object) -> str | None:
    if value is None:
        return None
    allowed = instrument.allowed_values(number)
    expected = f"expected one of {', '.join(map(str, sorted(allowed)))} or no answer"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"item {number}: got {value!r} ({type(value).__name__}); {expected}"
    if value not in allowed:
        return f"item {number}: got {value}; {expected}"
    return None


def _scored_values(instrument: Instrument, answers: Mapping[int, Answer]) -> dict[int, int]:
    """Answered items' values, reversed items turned around (lowest <-> highest)."""
    scored = {}
    for number, value in answers.items():
        if value is None:
            continue
        allowed = instrument.allowed_values(number)
        reverse = instrument.item(number).reverse
        scored[number] = min(allowed) + max(allowed) - value if reverse else value
    return scored


def _score_sum(
    instrument: Instrument, answers: Mapping[int, Answer], scored: Mapping[int, int]
) -> Score:
    """Sum of all items (times the multiplier); every item must be answered."""
    missing = [number for number, value in answers.items() if value is None]
    if missing:
        total = raw = band = None
        reason = _missing_reason(instrument, missing)
    else:
        raw = sum(scored.values())
        total = raw * instrument.scoring.multiplier
        band = instrument.band_for(total)
        reason = None
    flags = _care_flags(instrument, answers, [(None, band)])
    return Score(instrument.id, total, raw, {}, band, not missing, reason, flags, answers)


def _score_subscale_means(
    instrument: Instrument, answers: Mapping[int, Answer], scored: Mapping[int, int]
) -> Score:
    """Mean of answered items per subscale; fewer than half answered makes it not scorable."""
    subscales = {
        subscale.key: _subscale_mean(instrument, subscale.key, scored)
        for subscale in instrument.subscales
    }
    unscorable = [result for result in subscales.values() if not result.scorable]
    reason = None
    if unscorable:
        reason = Text(
            es="; ".join(r.reason.es for r in unscorable),
            en="; ".join(r.reason.en for r in unscorable),
        )
    flags = _care_flags(
        instrument, answers, [(result, result.band) for result in subscales.values()]
    )
    return Score(instrument.id, None, None, subscales, None, not unscorable, reason, flags, answers)


def _subscale_mean(instrument: Instrument, key: str, scored: Mapping[int, int]) -> SubscaleScore:
    subscale = instrument.subscale(key)
    items = instrument.subscale_items(key)
    values = [scored[item.number] for item in items if item.number in scored]
    if len(values) * 2 < len(items):
        reason = Text(
            es=f"{subscale.name.es}: {len(values)} de {len(items)} preguntas respondidas "
            "(se necesita al menos la mitad)",
            en=f"{subscale.name.en}: {len(values)} of {len(items)} items answered "
            "(at least half needed)",
        )
        return SubscaleScore(key, subscale.name, None, None, len(values), len(items), False, reason)
    value = sum(values) / len(values)
    band = instrument.band_for(value)
    return SubscaleScore(key, subscale.name, value, band, len(values), len(items), True)


def _missing_reason(instrument: Instrument, missing: Sequence[int]) -> Text:
    numbers = ", ".join(map(str, missing))
    plural = len(missing) > 1
    return Text(
        es=f"{'las preguntas' if plural else 'la pregunta'} {numbers} "
        f"{'quedaron' if plural else 'quedó'} sin respuesta, y el manual del "
        f"{instrument.short_name} no da regla para respuestas faltantes",
        en=f"{'items' if plural else 'item'} {numbers} unanswered, and the "
        f"{instrument.short_name} manual gives no rule for missing items",
    )


def _care_flags(
    instrument: Instrument,
    answers: Mapping[int, Answer],
    banded: Sequence[tuple[SubscaleScore | None, Band | None]],
) -> tuple[CareFlag, ...]:
    """Flags raised by an item answer or by a band reached (on the total or any subscale)."""
    flags = []
    for rule in instrument.care_flags:
        if rule.item is not None:
            value = answers[rule.item]
            if value is not None and value >= rule.at_least:
                flags.append(CareFlag(rule.key, rule.reason, f"#{rule.item} = {value}"))
            continue
        for subscale, band in banded:
            if band is not None and band.key in rule.bands:
                where = f"{subscale.key} = {subscale.value:.1f}" if subscale else "total"
                flags.append(CareFlag(rule.key, rule.reason, f"{where} ({band.key})"))
    return tuple(flags)


MISSING_WORDS = frozenset({"-", "na", "n/a"})


def parse_answers(words: Sequence[str]) -> list[Answer]:
    """Answers typed in item order (`2 0 - NA 3`): whole numbers, `-` or `NA` for no answer."""
    answers: list[Answer] = []
    problems = []
    for position, word in enumerate(words, start=1):
        if word.strip().lower() in MISSING_WORDS:
            answers.append(None)
            continue
        try:
            answers.append(int(word))
        except ValueError:
            problems.append(f"answer {position}: got {word!r}; expected a whole number, - or NA")
    if problems:
        raise ValueError("; ".join(problems))
    return answers
