from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.disclosure_control import (
    COMPLEMENTARY_TEXT,
    Table1D,
    Table2D,
    cell_text,
    small_label,
    suppress_1d,
    suppress_2d,
)

SMALL = "<5"


def suppressed(cell):
    return not isinstance(cell, int)


# --- an independent attacker: exact linear algebra over the published equations -------------------


def _rank(rows):
    matrix = [[Fraction(x) for x in row] for row in rows]
    rank, cols = 0, len(matrix[0]) if matrix else 0
    for col in range(cols):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def determined_cells(equations, unknowns):
    """Unknowns that the linear system fixes: x_u is fixed iff its column is outside the others' span."""
    if not unknowns:
        return []
    matrix = [[eq.get(u, 0) for u in unknowns] for eq in equations]
    full = _rank(matrix)
    fixed = []
    for index, u in enumerate(unknowns):
        without = [[v for k, v in enumerate(row) if k != index] for row in matrix]
        rank_without = _rank(without) if len(unknowns) > 1 else 0
        if rank_without == full - 1:
            fixed.append(u)
    return fixed


def extended(table: Table2D):
    m, n = len(table.cells), len(table.row_totals and table.cells[0])
    grid = {}
    for i in range(m):
        for j in range(n):
            grid[(i, j)] = table.cells[i][j]
        grid[(i, n)] = table.row_totals[i]
    for j in range(n):
        grid[(m, j)] = table.column_totals[j]
    grid[(m, n)] = table.grand_total
    return grid, m, n


def lines_of(m, n):
    rows = [([(i, j) for j in range(n)], (i, n)) for i in range(m + 1)]
    cols = [([(i, j) for i in range(m)], (m, j)) for j in range(n + 1)]
    return rows + cols


def attacker_fixed_2d(table: Table2D):
    grid, m, n = extended(table)
    unknowns = sorted(k for k, v in grid.items() if suppressed(v))
    equations = []
    for interior, total in lines_of(m, n):
        equation = {k: 1 for k in interior if suppressed(grid[k])}
        if suppressed(grid[total]):
            equation[total] = -1
        if equation:
            equations.append(equation)
    return determined_cells(equations, unknowns)


# --- 1-D -----------------------------------------------------------------------------------------


def test_nothing_small_publishes_everything():
    assert suppress_1d([10, 20, 0, 7]) == Table1D(cells=[10, 20, 0, 7], total=37)


def test_one_small_cell_takes_the_next_smallest_with_it():
    table = suppress_1d([100, 3, 40, 12])
    assert table.cells == [100, SMALL, 40, None]
    assert table.total == 155


def test_two_small_cells_that_are_not_pinned_need_no_complement():
    # 2 + 3 = 5: each of the two could be 1..4, so neither is known.
    assert suppress_1d([50, 2, 3]).cells == [50, SMALL, SMALL]


def test_two_ones_would_be_pinned_so_a_third_cell_goes():
    # Published: total 52, Kinh 50 → the two "<5" sum to 2, and each is ≥ 1, so each would be 1.
    table = suppress_1d([50, 1, 1, 9])
    assert table.cells[1:3] == [SMALL, SMALL]
    assert table.cells[3] is None  # the smallest non-zero published cell
    assert table.cells[0] == 50


def test_zero_is_published_and_never_a_complement():
    table = suppress_1d([0, 3, 8, 20])
    assert table.cells == [0, SMALL, None, 20]


def test_two_fours_would_be_pinned_so_the_total_goes():
    # 8 − nothing published = 8, and two cells of at most 4 each must both be 4.
    table = suppress_1d([4, 4])
    assert table.cells == [SMALL, SMALL]
    assert table.total is None


def test_tiny_line_hides_zeros_too():
    assert suppress_1d([0, 3, 0]) == Table1D(cells=[SMALL, SMALL, SMALL], total=SMALL)


def test_tiny_line_masks_its_zeros():
    # Four "<5" under a "<5" total would be exactly 1 each if the zero were shown as 0.
    table = suppress_1d([1, 1, 0, 1, 1])
    assert table.cells == [SMALL] * 5
    assert table.total == SMALL


def test_empty_and_all_zero_tables():
    assert suppress_1d([]) == Table1D(cells=[], total=0)
    assert suppress_1d([0, 0]) == Table1D(cells=[0, 0], total=0)


def test_threshold_is_a_parameter():
    table = suppress_1d([9, 30, 40], threshold=10)
    assert table.cells == ["<10", None, 40]
    assert small_label(10) == "<10"
    assert suppress_1d([3, 30, 40], threshold=1).cells == [3, 30, 40]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        suppress_1d([-1, 5])
    with pytest.raises(ValueError):
        suppress_1d([1], threshold=0)
    with pytest.raises(ValueError):
        suppress_2d([[1, 2], [3]])


def test_cell_text():
    assert cell_text(None) == COMPLEMENTARY_TEXT == "x"
    assert cell_text(SMALL) == SMALL
    assert cell_text(0) == "0"
    assert cell_text(12) == "12"


# --- 2-D -----------------------------------------------------------------------------------------


def test_three_girls_in_grade_6_cannot_be_recovered():
    # grade × sex of one school: 3 girls in grade 6.
    counts = [[40, 3], [38, 41], [45, 44]]
    table = suppress_2d(counts)
    assert table.cells[0][1] == SMALL
    grid, m, n = extended(table)
    # In every line the "<5" shares the line with at least one other hidden cell...
    for interior, total in lines_of(m, n):
        hidden = sum(suppressed(grid[k]) for k in [*interior, total])
        assert hidden in (0,) or hidden >= 2
    # ...and no subtraction of published figures gives it back.
    assert attacker_fixed_2d(table) == []
    # Row 6 total minus boys, column total minus other grades: both impossible.
    assert suppressed(table.row_totals[0]) or suppressed(table.cells[0][0])
    assert suppressed(table.column_totals[1]) or any(suppressed(table.cells[i][1]) for i in (1, 2))


def test_2d_without_small_cells_is_unchanged():
    table = suppress_2d([[10, 20], [30, 40]])
    assert table == Table2D(
        cells=[[10, 20], [30, 40]], row_totals=[30, 70], column_totals=[40, 60], grand_total=100
    )


def test_2d_small_row_total_is_suppressed_and_covered():
    table = suppress_2d([[1, 2], [30, 40], [25, 26]])
    assert table.row_totals[0] == SMALL
    assert attacker_fixed_2d(table) == []


def test_2d_bridge_between_two_hidden_blocks_is_broken():
    # Found by a random search: row 2 and column 3 had nothing left but zeros, so cell (2, 3) joined two
    # blocks of hidden cells alone and the totals fixed it; a zero now goes with it.
    counts = [[1, 6, 0, 0], [10, 0, 5, 4], [4, 3, 0, 1], [5, 12, 1, 4]]
    assert attacker_fixed_2d(suppress_2d(counts)) == []


def test_2d_empty_shapes():
    assert suppress_2d([]) == Table2D(cells=[], row_totals=[], column_totals=[], grand_total=0)
    assert suppress_2d([[], []]).row_totals == [0, 0]


def test_single_column_table():
    table = suppress_2d([[3], [40], [50]])
    assert table.cells[0][0] == SMALL
    assert suppressed(table.row_totals[0])
    assert attacker_fixed_2d(table) == []


# --- properties ----------------------------------------------------------------------------------

count = st.one_of(st.integers(0, 6), st.integers(0, 60))


@settings(max_examples=300, deadline=None)
@given(st.lists(count, max_size=12))
def test_1d_properties(counts):
    table = suppress_1d(counts)
    cells = [*table.cells, table.total]
    values = [*counts, sum(counts)]
    for cell, value in zip(cells, values, strict=True):
        # (a) nothing published is under the threshold except zero, and what is published is true.
        if isinstance(cell, int):
            assert cell == value
            assert not 0 < cell < 5
        elif cell == SMALL:
            assert 0 <= value < 5
        else:
            assert cell is None and value >= 5
    # (b) the one line hides no cell or at least two.
    hidden = sum(suppressed(c) for c in cells)
    assert hidden == 0 or hidden >= 2
    # (c) total − published never gives back a lone hidden cell.
    if hidden:
        assert hidden >= 2


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.lists(st.lists(count, min_size=n, max_size=n), min_size=1, max_size=5)
    )
)
def test_2d_properties(counts):
    table = suppress_2d(counts)
    grid, m, n = extended(table)
    truth = {}
    for i in range(m):
        for j in range(n):
            truth[(i, j)] = counts[i][j]
        truth[(i, n)] = sum(counts[i])
    for j in range(n + 1):
        truth[(m, j)] = sum(truth[(i, j)] for i in range(m))
    for key, cell in grid.items():
        # (a)
        if isinstance(cell, int):
            assert cell == truth[key]
            assert not 0 < cell < 5
        elif cell == SMALL:
            assert 0 <= truth[key] < 5
        else:
            # complementary: a non-zero cell (≥ 5), or a zero taken as a last resort
            assert cell is None and (truth[key] >= 5 or truth[key] == 0)
    # (b) every row, column and total line hides 0 or ≥ 2 cells.
    for interior, total in lines_of(m, n):
        hidden = sum(suppressed(grid[k]) for k in [*interior, total])
        assert hidden == 0 or hidden >= 2, (interior, total, grid)
    # (c) an attacker solving the whole linear system of published totals pins no hidden cell.
    assert attacker_fixed_2d(table) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=8))
def test_1d_no_hidden_cell_is_pinned_by_bounds(counts):
    """Every assignment consistent with what is published leaves each hidden cell ≥ 2 possible values.

    The attacker knows the published cells, that "<5" is 1..4 (0..4 when the total is "<5" too, which
    masks zeros) and that "x" is ≥ 5; complementary values are capped far above any real sum here.
    """
    table = suppress_1d(counts)
    interior = list(table.cells)
    hidden = [i for i, c in enumerate(interior) if suppressed(c)]
    total_hidden = suppressed(table.total)
    if not hidden and not total_hidden:
        return
    masked = table.total == SMALL
    cap = 13 * len(counts) + 10

    def candidates(cell):
        return range(0 if masked else 1, 5) if cell == SMALL else range(5, cap)

    known = sum(c for c in interior if isinstance(c, int))

    def sums(indices):
        reachable = {0}
        for index in indices:
            reachable = {s + v for s in reachable for v in candidates(interior[index]) if s + v < 2 * cap}
        return reachable

    totals: list[int] = list(candidates(table.total)) if total_hidden else [int(str(table.total))]
    for i in hidden:
        others = sums([k for k in hidden if k != i])
        possible = {v for v in candidates(interior[i]) for t in totals if t - known - v in others}
        assert len(possible) >= 2, (counts, table, i, possible)
    if total_hidden:
        everything = sums(hidden)
        possible = {t for t in totals if t - known in everything}
        assert len(possible) >= 2, (counts, table, possible)
