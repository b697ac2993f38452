"""A score as text lines (Spanish or English) or as plain JSON-ready data."""

from __future__ import annotations

from typing import Any

from acompana.domain.instruments.model import Band
from acompana.domain.instruments.registry import get_instrument
from acompana.domain.instruments.scoring import Score

WORDS = {
    "es": {
        "total": "Puntaje",
        "raw": "puntaje bruto",
        "band": "Nivel",
        "conventional": "corte convencional; el manual no define cortes",
        "not_scorable": "No calculable",
        "care": "Ruta de atención",
        "none": "sin alertas",
    },
    "en": {
        "total": "Score",
        "raw": "raw score",
        "band": "Band",
        "conventional": "conventional cut-off; the manual defines none",
        "not_scorable": "Not scorable",
        "care": "Path to care",
        "none": "no flags",
    },
}


def summary_lines(result: Score, lang: str = "es") -> list[str]:
    """Total (or subscales), band and care flags, in the chosen language."""
    instrument = get_instrument(result.instrument)
    words = WORDS["en" if lang == "en" else "es"]
    lines = [f"{instrument.short_name} — {instrument.name.in_language(lang)}"]
    if instrument.scoring.method == "sum" and result.total is not None:
        raw = f" ({words['raw']} {result.raw})" if instrument.scoring.multiplier != 1 else ""
        lines.append(f"{words['total']}: {_number(result.total)}{raw}")
        lines.append(_band_line(result.band, words, lang))
    for subscale in result.subscales.values():
        if subscale.scorable:
            lines.append(
                f"{subscale.name.in_language(lang)}: {_number(subscale.value)} "
                f"({subscale.answered}/{subscale.items})"
            )
            lines.append("  " + _band_line(subscale.band, words, lang))
    if result.reason is not None:
        lines.append(f"{words['not_scorable']}: {result.reason.in_language(lang)}")
    if result.care_flags:
        for flag in result.care_flags:
            lines.append(f"{words['care']}: {flag.reason.in_language(lang)} [{flag.detail}]")
    else:
        lines.append(f"{words['care']}: {words['none']}")
    return lines


def summary_data(result: Score) -> dict[str, Any]:
    """The score as plain data (both languages), for `--json` and for APIs."""
    return {
        "instrument": result.instrument,
        "scorable": result.scorable,
        "reason": _text(result.reason),
        "total": result.total,
        "raw": result.raw,
        "band": _band(result.band),
        "subscales": {
            key: {
                "value": subscale.value,
                "answered": subscale.answered,
                "items": subscale.items,
                "scorable": subscale.scorable,
                "reason": _text(subscale.reason),
                "band": _band(subscale.band),
            }
            for key, subscale in result.subscales.items()
        },
        "care_flags": [
            {"key": flag.key, "reason": _text(flag.reason), "detail": flag.detail}
            for flag in result.care_flags
        ],
        "answers": {str(number): value for number, value in result.answers.items()},
    }


def _band_line(band: Band | None, words: dict[str, str], lang: str) -> str:
    if band is None:
        return f"{words['band']}: —"
    note = f" [{words['conventional']}]" if band.conventional else ""
    return f"{words['band']}: {band.label.in_language(lang)} ({band.range_text}){note}"


def _band(band: Band | None) -> dict[str, Any] | None:
    if band is None:
        return None
    return {
        "key": band.key,
        "label": _text(band.label),
        "range": band.range_text,
        "conventional": band.conventional,
    }


def _text(text: Any) -> dict[str, str] | None:
    return None if text is None else {"es": text.es, "en": text.en}


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
