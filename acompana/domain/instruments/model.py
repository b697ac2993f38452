"""The shape of an instrument data file, checked when it is loaded.

An instrument is data (one YAML file per instrument in `data/`), so a wrong band edge or a
missing option set must fail loudly at load time, naming the file and the field, not at the
first person scored.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import product
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A text in Spanish (the source language) and English."""

    es: str
    en: str

    def in_language(self, lang: str) -> str:
        return self.en if lang == "en" else self.es


class Source(Frozen):
    citation: str
    used_for: str


class Option(Frozen):
    value: int
    label: Text


class Item(Frozen):
    number: int = Field(ge=1)
    text: Text
    reverse: bool = False
    subscale: str | None = None
    options: str


class Subscale(Frozen):
    key: str
    name: Text


class Band(Frozen):
    """A range of scores with a label; `conventional` when the manual itself defines no cut-off."""

    key: str
    label: Text
    min: float
    max: float | None = None
    below: float | None = None
    conventional: bool

    @model_validator(mode="after")
    def _one_upper_edge(self) -> Band:
        if (self.max is None) == (self.below is None):
            raise ValueError(f"band {self.key!r} needs exactly one of `max` (inclusive) or `below`")
        return self

    def contains(self, value: float) -> bool:
        if value < self.min:
            return False
        return value <= self.max if self.max is not None else value < self.below

    @property
    def range_text(self) -> str:
        upper = f"{_number(self.max)}" if self.max is not None else f"<{_number(self.below)}"
        return f"{_number(self.min)}–{upper}"


class MissingRule(Frozen):
    """How unanswered items are handled; never a silent proration."""

    rule: Literal["all_required", "at_least_half_per_subscale"]
    note: str


class Scoring(Frozen):
    method: Literal["sum", "subscale_mean"]
    multiplier: int = 1
    reported_as: Text
    minimum: float
    maximum: float
    missing: MissingRule
    note: str


class CareFlagRule(Frozen):
    """When a result opens the path to care: an item at or above a value, or a band reached."""

    key: str
    item: int | None = None
    at_least: int | None = None
    bands: tuple[str, ...] = ()
    reason: Text
    note: str = ""

    @model_validator(mode="after")
    def _one_trigger(self) -> CareFlagRule:
        by_item = self.item is not None and self.at_least is not None
        if by_item == bool(self.bands):
            raise ValueError(
                f"care flag {self.key!r} needs either `item` with `at_least`, or `bands`"
            )
        return self


class Norm(Frozen):
    """Reliability and reference SD of a scale, for the Reliable Change Index."""

    scale: str
    reliability: float = Field(gt=0, lt=1)
    reliability_kind: str
    sd: float | None = Field(default=None, gt=0)
    source: str
    note: str = ""


class Instrument(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9]*$")
    name: Text
    short_name: str
    sources: tuple[Source, ...]
    licence: str
    wording_note: str
    instructions: Text
    time_frame: Text
    higher_is_better: bool
    option_sets: dict[str, tuple[Option, ...]]
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...] = ()
    scoring: Scoring
    bands: tuple[Band, ...] = ()
    care_flags: tuple[CareFlagRule, ...] = ()
    norms: tuple[Norm, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        _check_items_numbered(self)
        _check_references(self)
        _check_bands_cover_attainable_scores(self)
        return self

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def allowed_values(self, number: int) -> tuple[int, ...]:
        return tuple(option.value for option in self.option_sets[self.item(number).options])

    def band_for(self, value: float) -> Band | None:
        return next((band for band in self.bands if band.contains(value)), None)

    def norm_for(self, scale: str) -> Norm | None:
        return next((norm for norm in self.norms if norm.scale == scale), None)

    def subscale(self, key: str) -> Subscale:
        return next(subscale for subscale in self.subscales if subscale.key == key)

    def subscale_items(self, key: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.subscale == key)


# Consistency checks, each one family of mistakes a data file can make.


def _check_items_numbered(instrument: Instrument) -> None:
    """Items are numbered 1..n in order, as respondents and manuals number them."""
    numbers = [item.number for item in instrument.items]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"items must be numbered 1..{len(numbers)} in order, got {numbers}")


def _check_references(instrument: Instrument) -> None:
    """Every option set, subscale, band and item named somewhere exists."""
    subscale_keys = {subscale.key for subscale in instrument.subscales}
    for item in instrument.items:
        if item.options not in instrument.option_sets:
            raise ValueError(f"item {item.number} names unknown option set {item.options!r}")
        if item.subscale is not None and item.subscale not in subscale_keys:
            raise ValueError(f"item {item.number} names unknown subscale {item.subscale!r}")
    if instrument.scoring.method == "subscale_mean":
        if not subscale_keys:
            raise ValueError("scoring by subscale_mean needs subscales")
        if any(item.subscale is None for item in instrument.items):
            raise ValueError("scoring by subscale_mean needs every item in a subscale")
        for key in subscale_keys:
            items = instrument.subscale_items(key)
            if len({frozenset(instrument.allowed_values(item.number)) for item in items}) != 1:
                raise ValueError(f"items of subscale {key!r} must share the same option values")
    band_keys = {band.key for band in instrument.bands}
    for flag in instrument.care_flags:
        if flag.item is not None and not 1 <= flag.item <= len(instrument.items):
            raise ValueError(f"care flag {flag.key!r} names unknown item {flag.item}")
        unknown = set(flag.bands) - band_keys
        if unknown:
            raise ValueError(f"care flag {flag.key!r} names unknown bands {sorted(unknown)}")
    scales = {"total"} | subscale_keys
    for norm in instrument.norms:
        if norm.scale not in scales:
            raise ValueError(f"norm names unknown scale {norm.scale!r}; expected one of {scales}")


def _check_bands_cover_attainable_scores(instrument: Instrument) -> None:
    """Every score a person can obtain falls in exactly one band (no gaps, no overlaps)."""
    if not instrument.bands:
        return
    for value in attainable_scores(instrument):
        holders = [band.key for band in instrument.bands if band.contains(float(value))]
        if len(holders) != 1:
            raise ValueError(
                f"score {_number(float(value))} falls in {len(holders)} bands {holders}; "
                "expected exactly one"
            )


def attainable_scores(instrument: Instrument) -> set[Fraction]:
    """All scores the scoring rule can produce (sums, or subscale means over answered items)."""
    if instrument.scoring.method == "sum":
        sums = {0}
        for item in instrument.items:
            values = instrument.allowed_values(item.number)
            sums = {total + value for total, value in product(sums, values)}
        return {Fraction(total * instrument.scoring.multiplier) for total in sums}
    scores: set[Fraction] = set()
    for subscale in instrument.subscales:
        items = instrument.subscale_items(subscale.key)
        values = instrument.allowed_values(items[0].number)
        for answered in range(math.ceil(len(items) / 2), len(items) + 1):
            sums = {0}
            for _ in range(answered):
                sums = {total + value for total, value in product(sums, values)}
            scores |= {Fraction(total, answered) for total in sums}
    return scores


def _number(value: float) -> str:
    return f"{value:g}"
