"""Small-cell suppression: examples, and properties checked against an independent oracle
(linear algebra and linear programming over what an attacker sees)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from acompana.domain.instruments.suppression import (
    CountTable,
    DifferencingRefused,
    check_population,
    suppress,
)


def table(*rows: tuple[int, ...]) -> CountTable:
    return CountTable(
        rows=tuple(f"group {i + 1}" for i in range(len(rows))),
        columns=tuple(f"wave {j + 1}" for j in range(len(rows[0]))),
        counts=rows,
    )


def truth_grid(counts: CountTable) -> np.ndarray:
    grid = np.array(counts.counts, dtype=float)
    with_totals = np.column_stack([grid, grid.sum(axis=1)])
    return np.vstack([with_totals, with_totals.sum(axis=0)])


def attacker_system(counts: CountTable, hidden: list[tuple[int, int]]):
    """What the released figures say about the hidden ones: A x = b, one equation per line."""
    grid = truth_grid(counts)
    height, width = grid.shape
    lines = [[((i, j), 1 if j < width - 1 else -1) for j in range(width)] for i in range(height)]
    lines += [[((i, j), 1 if i < height - 1 else -1) for i in range(height)] for j in range(width)]
    index = {position: n for n, position in enumerate(hidden)}
    a = np.zeros((len(lines), len(hidden)))
    b = np.zeros(len(lines))
    for row, line in enumerate(lines):
        for position, sign in line:
            if position in index:
                a[row, index[position]] = sign
            else:
                b[row] -= sign * grid[position]
    return a, b


def derivable(counts: CountTable, hidden: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Hidden entries fixed by the released figures (their unit vector is in A's row space)."""
    a, _ = attacker_system(counts, hidden)
    rank = np.linalg.matrix_rank(a)
    found = []
    for n, position in enumerate(hidden):
        unit = np.zeros(len(hidden))
        unit[n] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(position)
    return found


@st.composite
def counts_tables(draw) -> CountTable:
    """Up to 6 groups x 4 waves; counts often small so that suppression has work to do."""
    rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    count = st.one_of(st.integers(0, 6), st.integers(0, 40))
    return table(*(tuple(draw(count) for _ in range(columns)) for _ in range(rows)))


@settings(max_examples=100, deadline=None)
@given(counts_tables(), st.integers(2, 6))
def test_no_suppressed_value_can_be_recovered_from_the_released_totals(counts, k):
    released = suppress(counts, k)
    hidden = sorted(released.suppressed)
    assert derivable(counts, hidden) == []


@settings(max_examples=100, deadline=None)
@given(counts_tables(), st.integers(2, 6))
def test_small_cells_are_hidden_and_everything_shown_is_true(counts, k):
    released = suppress(counts, k)
    grid = truth_grid(counts)
    small = {(i, j) for (i, j), value in np.ndenumerate(grid) if 0 < value < k}
    assert released.primary == small
    assert all(grid[position] > 0 for position in released.suppressed)
    shown = [[*row, total] for row, total in zip(released.cells, released.row_totals, strict=True)]
    shown.append([*released.column_totals, released.grand_total])
    for (i, j), value in np.ndenumerate(grid):
        assert shown[i][j] == (None if (i, j) in released.suppressed else value)


@settings(max_examples=30, deadline=None)
@given(counts_tables(), st.integers(2, 6))
def test_every_suppressed_value_keeps_a_range_given_counts_cannot_be_negative(counts, k):
    released = suppress(counts, k)
    hidden = sorted(released.suppressed)
    if not hidden:
        return
    a, b = attacker_system(counts, hidden)
    for n in range(len(hidden)):
        objective = np.zeros(len(hidden))
        objective[n] = 1
        low = linprog(objective, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        unbounded = high.status == 3  # e.g. everything hidden: no upper limit at all
        assert unbounded or -high.fun - low.fun > 0.5, f"entry {hidden[n]} pinned to {low.fun}"


def test_a_lone_small_cell_takes_the_next_smallest_in_its_row_and_column():
    released = suppress(table((3, 10), (12, 11), (20, 8)))
    assert released.primary == {(0, 0)}
    assert released.cells == ((None, None), (12, 11), (None, None))
    assert released.row_totals == (13, 23, 28)
    assert released.column_totals == (35, 29) and released.grand_total == 64


def test_a_small_row_total_is_hidden_too():
    released = suppress(table((3, 0, 0), (12, 11, 9)))
    assert released.primary == {(0, 0), (0, 3)}
    assert released.cells == ((None, 0, 0), (None, 11, 9))
    assert released.row_totals == (None, None)
    assert released.column_totals == (15, 11, 9)


def test_a_table_without_small_cells_is_released_whole():
    released = suppress(table((5, 0, 9), (12, 11, 9)))
    assert released.suppressed == frozenset()
    assert released.cells == ((5, 0, 9), (12, 11, 9))


def test_aggregates_are_masked_like_their_counts():
    released = suppress(table((3, 10), (12, 11), (20, 8)))
    medians = ((4.0, 6.5), (7.0, 5.0), (6.0, 3.0))
    assert released.mask(medians) == ((None, None), (7.0, 5.0), (None, None))
    with pytest.raises(ValueError, match="must be 3 x 2"):
        released.mask(((1.0, 2.0),))


def test_count_tables_name_the_bad_entry():
    with pytest.raises(ValueError, match="row 'group 2', column 'wave 1': got -1"):
        table((1, 2), (-1, 3))
    with pytest.raises(ValueError, match="row 'group 1': 1 counts; expected 2"):
        CountTable(("group 1",), ("wave 1", "wave 2"), ((1,),))


def test_differencing_by_fewer_than_k_people_is_refused():
    everyone = {f"p{i}" for i in range(20)}
    with pytest.raises(DifferencingRefused, match="released population #1 by 1 person"):
        check_population(everyone - {"p0"}, [everyone])
    with pytest.raises(DifferencingRefused, match="by 4 people \\(more\\)"):
        check_population(everyone | {"a", "b", "c", "d"}, [everyone])
    with pytest.raises(DifferencingRefused, match="population of 4 people"):
        check_population({"a", "b", "c", "d"}, [])


def test_same_disjoint_or_k_apart_populations_are_allowed():
    everyone = {f"p{i}" for i in range(20)}
    check_population(everyone, [everyone])
    check_population({f"q{i}" for i in range(6)}, [everyone])
    check_population(everyone - {"p0", "p1", "p2", "p3", "p4"}, [everyone])
