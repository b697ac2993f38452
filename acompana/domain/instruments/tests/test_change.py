"""Reliable change per person; distributions and paired Wilcoxon change per group."""

import math

import pytest

from acompana.domain.instruments.change import distributions, paired_change, reliable_change


def test_rci_uses_jacobson_truax_standard_error_of_difference():
    # SD 10 and reliability 0.5 give SE 7.07 and S_diff exactly 10, so RCI = change / 10.
    change = reliable_change("who5", 40, 60, sd=10, reliability=0.5)
    assert change.standard_error_of_difference == pytest.approx(10)
    assert change.rci == pytest.approx(2.0)
    assert change.reliable and change.direction == "improved"


def test_rci_just_below_the_criterion_is_no_reliable_change():
    change = reliable_change("who5", 40, 59, sd=10, reliability=0.5)
    assert change.rci == pytest.approx(1.9)
    assert change.direction == "no_reliable_change"


def test_rci_direction_follows_whether_lower_is_better():
    # PSS-10 stored norms: SD 6.35, alpha 0.78.
    change = reliable_change("pss10", 25, 15)
    expected = -10 / (math.sqrt(2) * 6.35 * math.sqrt(1 - 0.78))
    assert change.rci == pytest.approx(expected)
    assert change.direction == "improved"
    assert reliable_change("pss10", 15, 25).direction == "worsened"
    assert change.sd_source.startswith("Cohen & Williamson")


def test_rci_needs_a_baseline_sd_where_none_is_stored():
    with pytest.raises(ValueError, match="pass sd="):
        reliable_change("who5", 40, 60)
    work = reliable_change("cbi", 70, 40, scale="work", sd=20)
    assert work.reliability == 0.83 and work.direction == "improved"


def test_distributions_by_wave_count_bands():
    summary = distributions("phq9", {"baseline": [0, 4, 8], "endline": []})
    baseline = summary["baseline"]
    assert (baseline.n, baseline.mean, baseline.median, baseline.sd) == (3, 4, 4, 4)
    assert baseline.band_counts["minimal"] == 2 and baseline.band_counts["mild"] == 1
    assert summary["endline"].n == 0 and summary["endline"].median is None


def test_wilcoxon_on_a_known_example():
    # Differences -1, 2, 3, 4, -5, 6, 7, 8: R- = 6, R+ = 30; exact two-sided p = 2 * 14 / 256.
    differences = [-1, 2, 3, 4, -5, 6, 7, 8]
    before = {f"p{i}": 10.0 for i in range(len(differences))}
    after = {f"p{i}": 10.0 + d for i, d in enumerate(differences)}
    before["same"] = after["same"] = 12.0
    before["left"], after["joined"] = 5.0, 7.0
    change = paired_change(before, after)
    assert change.pairs == 9 and change.zero_differences == 1
    assert change.only_before == 1 and change.only_after == 1
    assert change.wilcoxon_statistic == 6
    assert change.wilcoxon_method == "exact"
    assert change.p_value == pytest.approx(0.109375)
    assert change.rank_biserial == pytest.approx((30 - 6) / 36)
    assert change.median_difference == 3


def test_median_difference_interval_is_the_order_statistic_interval():
    # For n = 10 the distribution-free 95% interval of the median is (x(2), x(9)).
    before = {i: 0.0 for i in range(10)}
    after = {i: float(i + 1) for i in range(10)}
    change = paired_change(before, after)
    assert (change.ci_low, change.ci_high) == (2, 9)
    assert change.p_value == pytest.approx(2 / 1024)
    assert change.rank_biserial == 1


def test_too_few_pairs_give_no_interval_and_no_test_without_change():
    change = paired_change({1: 3.0, 2: 4.0}, {1: 3.0, 2: 4.0})
    assert change.ci_low is None and change.p_value is None and change.rank_biserial is None
