"""Small-cell suppression for released tables, and a guard against differencing attacks.

A table of counts (e.g. group x wave) is released with its row, column and grand totals. Cells
with fewer than k respondents are suppressed (primary), and further cells are suppressed
(complementary) until no suppressed value can be worked out from what is shown.

Why the rule below is enough: treat the table with its margins as an (r+1) x (c+1) grid in which
every row and every column adds up (cells minus their total = 0). Draw a bipartite graph with a
node per grid row and per grid column and an edge per suppressed entry. A suppressed entry can be
computed from the released ones exactly when its edge is a bridge (lies on no cycle): along a
cycle one can add and subtract the same amount alternately without changing any sum. So we add
suppressions until the graph has no bridge; a row or column with a single suppressed entry is the
simplest bridge ("at least two per line"), fixed with the next smallest entry of that line.
Only entries > 0 are ever suppressed, so every cycle can move both ways and the released
figures also leave each suppressed value a range wider than a single number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Position = tuple[int, int]
T = TypeVar("T")

DEFAULT_K = 5


@dataclass(frozen=True)
class CountTable:
    """Respondent counts by row (e.g. group) and column (e.g. wave)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows):
            raise ValueError(f"{len(self.rows)} row labels but {len(self.counts)} rows of counts")
        for label, row in zip(self.rows, self.counts, strict=True):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {label!r}: {len(row)} counts; expected {len(self.columns)} "
                    f"(one per column {', '.join(self.columns)})"
                )
            for column, count in zip(self.columns, row, strict=True):
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise ValueError(
                        f"row {label!r}, column {column!r}: got {count!r}; "
                        "expected a whole number of respondents (0 or more)"
                    )


@dataclass(frozen=True)
class ReleasedTable:
    """What may be shown: None marks a suppressed figure.

    Positions are on the grid with margins: row index len(rows) is the column-totals row, column
    index len(columns) the row-totals column.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None
    primary: frozenset[Position]
    complementary: frozenset[Position]
    k: int

    @property
    def suppressed(self) -> frozenset[Position]:
        return self.primary | self.complementary

    def mask(self, values: Sequence[Sequence[T]]) -> tuple[tuple[T | None, ...], ...]:
        """Hide the same cells in a table of aggregates (e.g. medians) over the same people."""
        if len(values) != len(self.rows) or any(len(row) != len(self.columns) for row in values):
            raise ValueError(
                f"aggregate table must be {len(self.rows)} x {len(self.columns)} like the counts"
            )
        return tuple(
            tuple(None if (i, j) in self.suppressed else value for j, value in enumerate(row))
            for i, row in enumerate(values)
        )


def suppress(table: CountTable, k: int = DEFAULT_K) -> ReleasedTable:
    """Suppress counts below k (1..k-1) and enough others that none can be derived."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    grid = _grid_with_margins(table)
    primary = _primary_suppressions(grid, k)
    suppressed = set(primary)
    while (bridge := _find_bridge(suppressed, len(grid), len(grid[0]))) is not None:
        suppressed.add(_complement_for(grid, suppressed, bridge))
    return _released(table, grid, frozenset(primary), frozenset(suppressed - primary), k)


class DifferencingRefused(ValueError):
    """An aggregate whose population is too small, or too close to one already released."""


def check_population(
    population: Collection[Hashable],
    released: Iterable[Collection[Hashable]],
    k: int = DEFAULT_K,
) -> None:
    """Refuse a population of fewer than k people, or one that differs from a released one by
    1..k-1 people on either side (A minus B or B minus A): subtracting the two aggregates would
    describe those few people.
    """
    people = set(population)
    if len(people) < k:
        raise DifferencingRefused(
            f"population of {len(people)} people; aggregates need at least {k}"
        )
    for index, earlier in enumerate(released, start=1):
        earlier_people = set(earlier)
        added, removed = len(people - earlier_people), len(earlier_people - people)
        for count, side in ((added, "more"), (removed, "fewer")):
            if 0 < count < k:
                raise DifferencingRefused(
                    f"population differs from released population #{index} by {count} "
                    f"{'person' if count == 1 else 'people'} ({side}); "
                    f"differences must be 0 or at least {k}"
                )


@dataclass(frozen=True)
class RecordedMembership:
    """A membership as the database recorded it: when it was written, not only its dates."""

    person: Hashable
    group: str
    recorded_at: dt.datetime
    left: dt.date | None = None
    left_recorded_at: dt.datetime | None = None

    def counts_at(self, opened_at: dt.datetime) -> bool:
        """Written before the wave opened, and not ended by a leaving recorded before then.

        What is written once a wave is open never changes that wave's cells: groups made up
        afterwards, people moved in, or leavings back-dated cannot be differenced against it.
        """
        if self.recorded_at >= opened_at:
            return False
        left_by_then = (self.left is not None and self.left_recorded_at is not None
                        and self.left_recorded_at < opened_at
                        and self.left <= opened_at.date())
        return not left_by_then


def settled_members(
    memberships: Iterable[RecordedMembership], opened_at: Mapping[str, dt.datetime]
) -> dict[str, dict[str, set[Hashable]]]:
    """Per wave, per group: the people who count toward its cells (membership frozen when the
    wave opened). A wave not yet opened has no one."""
    memberships = list(memberships)
    return {
        wave: _members_by_group(m for m in memberships if m.counts_at(opening))
        for wave, opening in opened_at.items()
    }


def _members_by_group(memberships: Iterable[RecordedMembership]) -> dict[str, set[Hashable]]:
    groups: dict[str, set[Hashable]] = {}
    for membership in memberships:
        groups.setdefault(membership.group, set()).add(membership.person)
    return groups


# Steps of the suppression, each one idea.


def _grid_with_margins(table: CountTable) -> list[list[int]]:
    """Counts with a row-totals column and a column-totals row (grand total in the corner)."""
    grid = [[*row, sum(row)] for row in table.counts]
    grid.append([sum(column) for column in zip(*grid, strict=True)] if grid else [0])
    return grid


def _primary_suppressions(grid: list[list[int]], k: int) -> set[Position]:
    """Entries with 1..k-1 respondents, margins included (a total of 3 is a small cell too)."""
    return {(i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if 0 < value < k}


def _find_bridge(suppressed: set[Position], rows: int, columns: int) -> Position | None:
    """A suppressed entry lying on no cycle of the row-column graph, i.e. derivable; or None."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Position]]] = {}
    for i, j in suppressed:
        adjacency.setdefault(("r", i), []).append((("c", j), (i, j)))
        adjacency.setdefault(("c", j), []).append((("r", i), (i, j)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for neighbour, edge in edges:
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                    continue
                order[neighbour] = low[neighbour] = len(order)
                stack.append((neighbour, edge, iter(adjacency[neighbour])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    return via
    return None


def _complement_for(grid: list[list[int]], suppressed: set[Position], bridge: Position) -> Position:
    """The entry to suppress next so that `bridge` joins a cycle.

    A line whose only suppressed entry is the bridge takes its next smallest entry, preferring
    one that closes a cycle at once; otherwise the smallest entry joining the two sides the
    bridge separates; failing both, the smallest entry touching the bridge's component
    (repeated, this ends at suppressing every positive entry, which is always safe).
    """
    i, j = bridge
    height, width = len(grid), len(grid[0])
    others = suppressed - {bridge}
    lines: list[Position] = []
    closing: list[Position] = []
    if not any(a == i for a, _ in others):
        lines += [(i, b) for b in range(width)]
        closing += [(i, b) for b in _component(others, ("c", j)).columns]
    if not any(b == j for _, b in others):
        lines += [(a, j) for a in range(height)]
        closing += [(a, j) for a in _component(others, ("r", i)).rows]
    if lines:
        choice = _smallest_positive(grid, suppressed, closing) or _smallest_positive(
            grid, suppressed, lines
        )
    else:
        row_side, column_side = _component(others, ("r", i)), _component(others, ("c", j))
        choice = _smallest_positive(
            grid,
            suppressed,
            [
                (a, b)
                for a in range(height)
                for b in range(width)
                if (a in row_side.rows and b in column_side.columns)
                or (a in column_side.rows and b in row_side.columns)
            ],
        )
    if choice is None:
        component = _component(suppressed, ("r", i))
        choice = _smallest_positive(
            grid,
            suppressed,
            [
                (a, b)
                for a in range(height)
                for b in range(width)
                if a in component.rows or b in component.columns
            ],
        )
    if choice is None:
        raise RuntimeError(f"no entry left to protect suppressed entry {bridge}")
    return choice


@dataclass(frozen=True)
class _Component:
    rows: frozenset[int]
    columns: frozenset[int]


def _component(edges: set[Position], start: tuple[str, int]) -> _Component:
    """Rows and columns reachable from `start` through suppressed entries."""
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in edges:
        adjacency.setdefault(("r", i), []).append(("c", j))
        adjacency.setdefault(("c", j), []).append(("r", i))
    seen = {start}
    frontier = [start]
    while frontier:
        for neighbour in adjacency.get(frontier.pop(), []):
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return _Component(
        rows=frozenset(index for kind, index in seen if kind == "r"),
        columns=frozenset(index for kind, index in seen if kind == "c"),
    )


def _smallest_positive(
    grid: list[list[int]], suppressed: set[Position], candidates: Iterable[Position]
) -> Position | None:
    """Next smallest visible entry above 0; inner cells before totals, so totals stay shown."""
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    open_candidates = [
        (a, b) for a, b in set(candidates) if (a, b) not in suppressed and grid[a][b] > 0
    ]
    if not open_candidates:
        return None
    return min(
        open_candidates,
        key=lambda p: (p[0] == last_row or p[1] == last_column, grid[p[0]][p[1]], p),
    )


def _released(
    table: CountTable,
    grid: list[list[int]],
    primary: frozenset[Position],
    complementary: frozenset[Position],
    k: int,
) -> ReleasedTable:
    hidden = primary | complementary

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else grid[i][j]

    rows, columns = len(table.rows), len(table.columns)
    return ReleasedTable(
        rows=table.rows,
        columns=table.columns,
        cells=tuple(tuple(shown(i, j) for j in range(columns)) for i in range(rows)),
        row_totals=tuple(shown(i, columns) for i in range(rows)),
        column_totals=tuple(shown(rows, j) for j in range(columns)),
        grand_total=shown(rows, columns),
        primary=primary,
        complementary=complementary,
        k=k,
    )
