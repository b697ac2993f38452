"""What `acompana score` prints: answers typed by hand, Spanish or English lines, JSON."""

import json

import pytest

from acompana.domain.instruments import score
from acompana.domain.instruments.scoring import parse_answers
from acompana.domain.instruments.summary import summary_data, summary_lines


def test_typed_answers_take_dash_or_na_for_a_missing_answer():
    assert parse_answers(["3", "-", "NA", "n/a", "0"]) == [3, None, None, None, 0]
    with pytest.raises(ValueError, match="answer 2: got 'x'; expected a whole number, - or NA"):
        parse_answers(["1", "x"])


def test_spanish_lines_show_percentage_raw_score_and_band():
    lines = summary_lines(score("who5", [3, 3, 3, 3, 2]))
    assert lines[1:] == [
        "Puntaje: 56 (puntaje bruto 14)",
        "Nivel: Sin indicación de bienestar bajo (51–100)",
        "Ruta de atención: sin alertas",
    ]


def test_english_lines_mark_conventional_bands_and_subscales():
    # Item 13 "Always" has enough energy: reversed to 0, so work = 6 x 75 / 7.
    answers = [50] * 6 + [75] * 6 + [100] + [None] * 6
    lines = summary_lines(score("cbi", answers), "en")
    assert "Personal burnout: 50 (6/6)" in lines
    assert "Work-related burnout: 64.3 (7/7)" in lines
    assert "  Band: High burnout (50–<75) [conventional cut-off; the manual defines none]" in lines
    assert lines[-2].startswith("Not scorable: Client-related burnout: 0 of 6 items answered")
    assert lines[-1] == "Path to care: no flags"


def test_care_flags_are_printed_with_what_raised_them():
    lines = summary_lines(score("phq9", [0, 0, 0, 0, 0, 0, 0, 2, 1]))
    assert lines[-1].startswith("Ruta de atención: Respondió a la pregunta 9")
    assert lines[-1].endswith("[#9 = 1]")


def test_json_holds_both_languages():
    data = json.loads(json.dumps(summary_data(score("gad7", [3, 3, 3, 3, 3, 0, 0]))))
    assert data["total"] == 15
    assert data["band"] == {
        "key": "severe",
        "label": {"es": "Severa", "en": "Severe"},
        "range": "15–21",
        "conventional": False,
    }
    assert data["care_flags"][0]["key"] == "severe_anxiety"
    assert data["answers"]["1"] == 3
