"""Small, readable charts as SVG text for pages and PDF reports (matplotlib, no display)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Fixed ids and no dates inside the SVG: the same figures give the same bytes.
matplotlib.rcParams.update({"svg.hashsalt": "acompana", "font.family": "DejaVu Sans",
                            "font.size": 10, "axes.spines.top": False,
                            "axes.spines.right": False})
PALETTE = ("#0b6e4f", "#c84c09", "#5b6475", "#7a4fa3", "#d4a017")


def bar_chart_svg(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
                  percent: bool = False) -> str:
    """Grouped bars: one group of bars per label, one bar per series."""
    figure, axes = plt.subplots(figsize=(7, 3.2))
    width = 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series.items()):
        positions = [x + index * width for x in range(len(labels))]
        axes.bar(positions, values, width=width, label=name, color=PALETTE[index % 5])
    axes.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))], labels,
                    rotation=0 if len(labels) < 8 else 45, ha="center" if len(labels) < 8
                    else "right")
    _finish(axes, title, percent, legend=len(series) > 1)
    return _svg(figure)


def line_chart_svg(labels: Sequence[str], values: Sequence[float], *, title: str,
                   percent: bool = False) -> str:
    figure, axes = plt.subplots(figsize=(7, 3.2))
    axes.plot(list(labels), list(values), marker="o", color=PALETTE[0])
    _finish(axes, title, percent, legend=False)
    return _svg(figure)


def _finish(axes, title: str, percent: bool, legend: bool) -> None:
    axes.set_title(title, loc="left", fontsize=11)
    if percent:
        axes.set_ylim(0, 1)
        axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    if legend:
        axes.legend(frameon=False, fontsize=9)


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]
