"""Small, readable charts as SVG text for PDF reports (matplotlib, no display).

Pages draw their charts in the browser (static/acompana/charts.js); a PDF's charts are drawn
here, in a child process (`svgs_in_child`), so no request's process imports matplotlib and
no request thread holds the GIL drawing. This module imports matplotlib only when it draws.
Figures are made with matplotlib's object API, never pyplot's global state; margins are fixed
rather than computed by `tight_layout` (which draws everything twice).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence

from acompana.domain.child_process import run_in_child

PALETTE = ("#0b6e4f", "#c84c09", "#5b6475", "#7a4fa3", "#d4a017")


ChartSpec = tuple[str, dict]  # ("bar" | "line", the keyword arguments of its function)


def svgs_in_child(charts: Sequence[ChartSpec]) -> list[str]:
    """Draw charts in a child process: [("bar", {...bar_chart_svg's arguments}), ...]."""
    if not charts:
        return []
    return run_in_child(draw_svgs, {"charts": list(charts)}, timeout=60)


def draw_svgs(*, charts: Sequence[ChartSpec]) -> list[str]:
    """The charts as SVG texts, in order (what the child process runs)."""
    draw = {"bar": bar_chart_svg, "line": line_chart_svg}
    return [draw[kind](**arguments) for kind, arguments in charts]


def bar_chart_svg(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
                  percent: bool = False) -> str:
    """Grouped bars: one group of bars per label, one bar per series."""
    return _bar_chart(tuple(labels), tuple((name, tuple(values)) for name, values in
                                           series.items()), title, percent)


def line_chart_svg(labels: Sequence[str], values: Sequence[float], *, title: str,
                   percent: bool = False) -> str:
    return _line_chart(tuple(labels), tuple(values), title, percent)


@functools.lru_cache(maxsize=256)
def _bar_chart(labels: tuple[str, ...], series: tuple[tuple[str, tuple[float, ...]], ...],
               title: str, percent: bool) -> str:
    figure, axes = _figure(rotated=len(labels) >= 8)
    width = 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series):
        positions = [x + index * width for x in range(len(labels))]
        axes.bar(positions, values, width=width, label=name, color=PALETTE[index % 5])
    axes.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))], labels,
                    rotation=0 if len(labels) < 8 else 45, ha="center" if len(labels) < 8
                    else "right")
    _finish(axes, title, percent, legend=len(series) > 1)
    return _svg(figure)


@functools.lru_cache(maxsize=256)
def _line_chart(labels: tuple[str, ...], values: tuple[float, ...], title: str,
                percent: bool) -> str:
    figure, axes = _figure(rotated=False)
    axes.plot(list(labels), list(values), marker="o", color=PALETTE[0])
    _finish(axes, title, percent, legend=False)
    return _svg(figure)


@functools.cache
def configured_matplotlib():
    """matplotlib, set up once: fixed ids and no dates inside the SVG (the same figures give
    the same bytes)."""
    import matplotlib
    import matplotlib.figure
    import matplotlib.ticker

    matplotlib.rcParams.update({"svg.hashsalt": "acompana", "font.family": "DejaVu Sans",
                                "font.size": 10, "axes.spines.top": False,
                                "axes.spines.right": False})
    return matplotlib


def _figure(*, rotated: bool):
    """A figure of one chart, with room below for its labels (more when they are slanted)."""
    figure = configured_matplotlib().figure.Figure(figsize=(7, 3.2))
    figure.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.24 if rotated else 0.12)
    return figure, figure.subplots()


def _finish(axes, title: str, percent: bool, legend: bool) -> None:
    axes.set_title(title, loc="left", fontsize=11)
    if percent:
        axes.set_ylim(0, 1)
        axes.yaxis.set_major_formatter(configured_matplotlib().ticker.PercentFormatter(1.0))
    if legend:  # above the plot, right of the title, where no bar can be hidden by it
        axes.legend(frameon=False, fontsize=9, loc="lower right", bbox_to_anchor=(1.0, 1.0),
                    ncols=len(axes.get_legend_handles_labels()[0]), borderaxespad=0.2)


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]
