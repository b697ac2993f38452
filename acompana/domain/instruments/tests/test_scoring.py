"""Scoring vectors per instrument: reverse items, missing items, band edges, care flags."""

import pytest

from acompana.domain.instruments import INSTRUMENTS, score
from acompana.domain.instruments.registry import UnknownInstrumentError
from acompana.domain.instruments.scoring import ResponseError


def answers_scoring(instrument_id: str, raw_total: int) -> list[int]:
    """Answers whose scored (reversed where flagged) values add up to raw_total."""
    instrument = INSTRUMENTS[instrument_id]
    answers = []
    remaining = raw_total
    for item in instrument.items:
        values = instrument.allowed_values(item.number)
        low, high = min(values), max(values)
        contribution = min(remaining, high - low)
        remaining -= contribution
        answers.append(high - contribution if item.reverse else low + contribution)
    assert remaining == 0, f"{instrument_id} cannot reach {raw_total}"
    return answers


def test_all_six_instruments_are_registered():
    assert set(INSTRUMENTS) == {"who5", "pss10", "pss4", "cbi", "phq9", "gad7"}
    assert len(INSTRUMENTS["cbi"].items) == 19


def test_who5_raw_score_times_four_is_the_percentage():
    result = score("who5", [5, 4, 3, 2, 1])
    assert (result.raw, result.total) == (15, 60)
    assert result.band.key == "no_indication"
    assert not result.band.conventional


def test_pss10_reverses_items_4_5_7_8():
    # Items 4, 5, 7, 8 answered 4, 0, 3, 1 count 0, 4, 1, 3.
    result = score("pss10", [1, 2, 3, 4, 0, 2, 3, 1, 2, 3])
    assert result.total == 1 + 2 + 3 + 0 + 4 + 2 + 1 + 3 + 2 + 3 == 21
    assert result.band.key == "moderate"
    assert result.band.conventional


def test_pss4_reverses_items_2_and_3_and_has_no_bands():
    result = score("pss4", [2, 1, 3, 4])
    assert result.total == 2 + 3 + 1 + 4
    assert result.band is None and result.scorable


def test_pss10_extremes():
    assert score("pss10", [4, 4, 4, 0, 0, 4, 0, 0, 4, 4]).total == 40
    assert score("pss10", [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]).total == 0


def test_phq9_and_gad7_are_plain_sums():
    assert score("phq9", [3] * 9).total == 27
    assert score("gad7", [1, 2, 3, 0, 1, 2, 3]).total == 12


@pytest.mark.parametrize(
    ("instrument_id", "total", "band"),
    [
        ("who5", 0, "likely_depression"),
        ("who5", 28, "likely_depression"),
        ("who5", 32, "poor_wellbeing"),
        ("who5", 48, "poor_wellbeing"),
        ("who5", 52, "no_indication"),
        ("who5", 100, "no_indication"),
        ("pss10", 13, "low"),
        ("pss10", 14, "moderate"),
        ("pss10", 26, "moderate"),
        ("pss10", 27, "high"),
        ("phq9", 4, "minimal"),
        ("phq9", 5, "mild"),
        ("phq9", 9, "mild"),
        ("phq9", 10, "moderate"),
        ("phq9", 14, "moderate"),
        ("phq9", 15, "moderately_severe"),
        ("phq9", 19, "moderately_severe"),
        ("phq9", 20, "severe"),
        ("gad7", 4, "minimal"),
        ("gad7", 5, "mild"),
        ("gad7", 9, "mild"),
        ("gad7", 10, "moderate"),
        ("gad7", 14, "moderate"),
        ("gad7", 15, "severe"),
        ("gad7", 21, "severe"),
    ],
)
def test_band_edges(instrument_id, total, band):
    multiplier = INSTRUMENTS[instrument_id].scoring.multiplier
    result = score(instrument_id, answers_scoring(instrument_id, total // multiplier))
    assert result.total == total
    assert result.band.key == band


@pytest.mark.parametrize(
    ("personal", "mean", "band"),
    [
        ([50, 50, 50, 50, 50, 25], 275 / 6, "low"),
        ([50] * 6, 50, "high"),
        ([75, 75, 75, 75, 75, 50], 425 / 6, "high"),
        ([75] * 6, 75, "severe"),
        ([100] * 6, 100, "severe"),
    ],
)
def test_cbi_band_edges(personal, mean, band):
    result = score("cbi", personal + [0] * 6 + [100] + [0] * 6)
    assert result.subscales["personal"].value == pytest.approx(mean)
    assert result.subscales["personal"].band.key == band


def test_cbi_reverses_energy_for_family_and_friends_and_has_no_total():
    # Item 13 answered "Never/almost never" (0) counts 100.
    result = score("cbi", [0] * 12 + [0] + [0] * 6)
    assert result.subscales["work"].value == pytest.approx(100 / 7)
    assert result.total is None and result.band is None
    assert result.subscales["personal"].value == 0


def test_cbi_subscale_is_the_mean_of_answered_items_when_half_are_answered():
    personal = [100, 50, 75, None, None, None]
    work = [100, 100, 100, 100, None, None, None]
    result = score("cbi", personal + work + [0] * 6)
    assert result.subscales["personal"].value == 75
    assert result.subscales["personal"].answered == 3
    assert result.subscales["work"].value == 100
    assert result.scorable


def test_cbi_subscale_with_fewer_than_half_answered_is_not_scorable():
    personal = [100, 50, None, None, None, None]
    work = [100, 100, 100, None, None, None, None]
    result = score("cbi", personal + work + [0] * 6)
    assert not result.scorable
    assert not result.subscales["personal"].scorable
    assert not result.subscales["work"].scorable
    assert result.subscales["client"].value == 0
    assert "2 of 6" in result.reason.en and "3 of 7" in result.reason.en


def test_missing_item_makes_a_sum_not_scorable_with_the_reason():
    result = score("who5", [5, 4, None, 2, 1])
    assert not result.scorable
    assert result.total is None and result.band is None
    assert "item 3 unanswered" in result.reason.en
    assert "pregunta 3" in result.reason.es


def test_answers_by_item_number_treat_absent_items_as_missing():
    result = score("gad7", {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1})
    assert not result.scorable
    assert "item 7" in result.reason.en


def test_phq9_item_9_opens_the_path_to_care_even_with_a_low_total():
    result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 2, 1])
    assert result.total == 3
    assert result.band.key == "minimal"
    assert [flag.key for flag in result.care_flags] == ["self_harm_thoughts"]


def test_phq9_item_9_flag_is_raised_even_when_not_scorable():
    result = score("phq9", [0, 0, None, 0, 0, 0, 0, 0, 2])
    assert not result.scorable
    assert [flag.key for flag in result.care_flags] == ["self_harm_thoughts"]


def test_phq9_severe_flag_opens_at_15():
    assert score("phq9", answers_scoring("phq9", 14)).care_flags == ()
    flags = score("phq9", answers_scoring("phq9", 15)).care_flags
    assert [flag.key for flag in flags] == ["severe_depression"]


def test_gad7_severe_band_opens_the_path_to_care():
    assert score("gad7", answers_scoring("gad7", 14)).care_flags == ()
    assert [flag.key for flag in score("gad7", [3, 3, 3, 3, 3, 0, 0]).care_flags] == [
        "severe_anxiety"
    ]


def test_cbi_severe_subscale_opens_the_path_to_care_per_subscale():
    result = score("cbi", [75] * 6 + [100] * 6 + [0] + [0] * 6)
    assert [flag.detail for flag in result.care_flags] == [
        "personal = 75.0 (severe)",
        "work = 100.0 (severe)",
    ]
    assert score("cbi", [50] * 6 + [50] * 7 + [50] * 6).care_flags == ()


def test_invalid_answers_are_all_listed_with_item_value_and_allowed_values():
    with pytest.raises(ResponseError) as error:
        score("phq9", [0, 4, "2", True, 0, 0, 0, 0])
    message = str(error.value)
    assert "expected 9 answers (items 1-9) in order, got 8" in message
    assert "item 2: got 4; expected one of 0, 1, 2, 3 or no answer" in message
    assert "item 3: got '2' (str)" in message
    assert "item 4: got True (bool)" in message
    assert len(error.value.problems) == 4


def test_unknown_item_numbers_are_refused():
    with pytest.raises(ResponseError, match="item 6: no such item; WHO-5 has items 1-5"):
        score("who5", {1: 5, 6: 3})


def test_cbi_accepts_only_its_point_values():
    with pytest.raises(ResponseError, match="item 1: got 3; expected one of 0, 25, 50, 75, 100"):
        score("cbi", [3] + [0] * 18)


def test_unknown_instrument_names_the_known_ones():
    with pytest.raises(UnknownInstrumentError, match="known instruments: cbi, gad7"):
        score("bdi", [1, 2])
