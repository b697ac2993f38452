"""Change between waves: per person (Reliable Change Index) and for groups (distributions,
paired Wilcoxon signed-rank test, effect size, confidence interval of the median difference).

Pure functions over scores already computed by `score()`; no identities leave this module, only
counts and statistics, which still go through small-cell suppression before release.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from acompana.domain.instruments.registry import get_instrument

RCI_CRITERION = 1.96  # two-sided 95% (Jacobson & Truax 1991)


@dataclass(frozen=True)
class ReliableChange:
    """Jacobson & Truax (1991): RCI = (after - before) / sqrt(2 * (SD * sqrt(1 - r))^2)."""

    instrument: str
    scale: str
    before: float
    after: float
    change: float
    standard_error_of_difference: float
    rci: float
    reliable: bool
    direction: Literal["improved", "worsened", "no_reliable_change"]
    sd: float
    reliability: float
    sd_source: str
    reliability_source: str


def reliable_change(
    instrument_id: str,
    before: float,
    after: float,
    *,
    scale: str = "total",
    sd: float | None = None,
    reliability: float | None = None,
) -> ReliableChange:
    """One person's change between two waves, judged against measurement error.

    `sd` and `reliability` default to the instrument's stored norms; where no SD is stored
    (WHO-5, CBI) pass the SD of the program's baseline wave, as Jacobson & Truax suggest.
    """
    instrument = get_instrument(instrument_id)
    norm = instrument.norm_for(scale)
    if norm is None and (sd is None or reliability is None):
        raise ValueError(
            f"{instrument.short_name} has no stored reliability for scale {scale!r}; "
            "pass sd= and reliability="
        )
    if sd is None and norm.sd is None:
        raise ValueError(
            f"{instrument.short_name} {scale}: no reference SD is stored ({norm.note.strip()}); "
            "pass sd=, e.g. the SD of the baseline wave"
        )
    used_sd = sd if sd is not None else norm.sd
    used_reliability = reliability if reliability is not None else norm.reliability
    if used_sd <= 0 or not 0 < used_reliability < 1:
        raise ValueError(f"need sd > 0 and 0 < reliability < 1, got {used_sd}, {used_reliability}")
    standard_error = used_sd * math.sqrt(1 - used_reliability)
    s_diff = math.sqrt(2 * standard_error**2)
    change = after - before
    rci = change / s_diff
    reliable = abs(rci) > RCI_CRITERION
    better = change > 0 if instrument.higher_is_better else change < 0
    direction = ("improved" if better else "worsened") if reliable else "no_reliable_change"
    return ReliableChange(
        instrument=instrument.id,
        scale=scale,
        before=before,
        after=after,
        change=change,
        standard_error_of_difference=s_diff,
        rci=rci,
        reliable=reliable,
        direction=direction,
        sd=used_sd,
        reliability=used_reliability,
        sd_source="given" if sd is not None else norm.source,
        reliability_source="given" if reliability is not None else norm.source,
    )


@dataclass(frozen=True)
class WaveSummary:
    """The distribution of one scale's scores in one wave."""

    wave: str
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    q1: float | None
    q3: float | None
    minimum: float | None
    maximum: float | None
    band_counts: Mapping[str, int]


def distributions(
    instrument_id: str, scores_by_wave: Mapping[str, Sequence[float]]
) -> dict[str, WaveSummary]:
    """Per wave: n, mean, SD (n-1), quartiles and how many fall in each band."""
    instrument = get_instrument(instrument_id)
    summaries = {}
    for wave, scores in scores_by_wave.items():
        values = np.asarray(scores, dtype=float)
        band_counts = {band.key: 0 for band in instrument.bands}
        for value in values:
            band = instrument.band_for(float(value))
            if band is not None:
                band_counts[band.key] += 1
        if values.size == 0:
            summaries[wave] = WaveSummary(wave, 0, *([None] * 7), band_counts)
            continue
        q1, median, q3 = (float(q) for q in np.percentile(values, [25, 50, 75]))
        summaries[wave] = WaveSummary(
            wave=wave,
            n=int(values.size),
            mean=float(values.mean()),
            sd=float(values.std(ddof=1)) if values.size > 1 else None,
            median=median,
            q1=q1,
            q3=q3,
            minimum=float(values.min()),
            maximum=float(values.max()),
            band_counts=band_counts,
        )
    return summaries


@dataclass(frozen=True)
class PairedChange:
    """Paired change (after - before) for the people answering in both waves.

    Effect size is the matched-pairs rank-biserial correlation (Kerby 2014):
    r = (R+ - R-) / (R+ + R-), over the non-zero differences; +1 means every change was upward.
    The median-difference interval is the distribution-free order-statistic interval (binomial;
    coverage at least the confidence level), None when there are too few pairs to reach it.
    """

    pairs: int
    zero_differences: int
    only_before: int
    only_after: int
    median_before: float | None
    median_after: float | None
    median_difference: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    wilcoxon_statistic: float | None
    p_value: float | None
    wilcoxon_method: Literal["exact", "approx"] | None
    rank_biserial: float | None


def paired_change(
    before: Mapping[Hashable, float], after: Mapping[Hashable, float], confidence: float = 0.95
) -> PairedChange:
    """Wilcoxon signed-rank test of after - before over the people present in both waves."""
    people = [person for person in before if person in after]
    before_values = np.array([before[person] for person in people], dtype=float)
    after_values = np.array([after[person] for person in people], dtype=float)
    differences = after_values - before_values
    nonzero = differences[differences != 0]
    statistic = p_value = method = rank_biserial = None
    if nonzero.size:
        magnitudes = np.abs(nonzero)
        exact = nonzero.size <= 50 and np.unique(magnitudes).size == magnitudes.size
        method = "exact" if exact else "approx"
        # Zeros are dropped (Wilcoxon's original treatment) and counted in the result instead.
        result = stats.wilcoxon(nonzero, zero_method="wilcox", method=method)
        statistic, p_value = float(result.statistic), float(result.pvalue)
        ranks = stats.rankdata(magnitudes)
        rank_biserial = float((ranks[nonzero > 0].sum() - ranks[nonzero < 0].sum()) / ranks.sum())
    ci_low = ci_high = None
    if differences.size:
        interval = stats.quantile_test(differences, q=0, p=0.5).confidence_interval(confidence)
        if not (math.isnan(interval.low) or math.isnan(interval.high)):
            ci_low, ci_high = float(interval.low), float(interval.high)
    return PairedChange(
        pairs=len(people),
        zero_differences=int(differences.size - nonzero.size),
        only_before=len(before) - len(people),
        only_after=sum(1 for person in after if person not in before),
        median_before=_median(before_values),
        median_after=_median(after_values),
        median_difference=_median(differences),
        ci_low=ci_low,
        ci_high=ci_high,
        confidence=confidence,
        wilcoxon_statistic=statistic,
        p_value=p_value,
        wilcoxon_method=method,
        rank_biserial=rank_biserial,
    )


def _median(values: np.ndarray) -> float | None:
    return float(np.median(values)) if values.size else None
