"""Small-cell suppression for published count tables (open data, public statistics).

A count under the threshold (5 by default) can point at a person: "the one Khmer girl in grade 6 of
school X". Such a cell is *primarily* suppressed and shown as "<5". Hiding it is not enough when a total
is published beside it: total − the other cells gives it back. So cells are *complementarily* suppressed
(shown as None, written "x") until no suppressed cell can be worked out from what is published.

Decisions, and why:

- **Zeros are published** (a ward with no pupils of an ethnicity is a fact about the ward, not a person),
  except in a line whose total is itself "<5": there a zero is shown as "<5" too. Otherwise a reader could
  count the non-empty categories of a tiny line and, knowing that each hides at least 1, pin them
  (four "<5" categories under a total "<5" are exactly 1 each).
- **Complementary cells are zeros only as a last resort**: the smallest *non-zero* published cell of the
  line is taken (it is at least the threshold, as smaller ones are already primary); when none is left
  the line's total; only when that is hidden too, a zero of the line. So a complementary cell is almost
  always ≥ threshold; the checks assume a reader knows that, except for the zeros taken last, for which
  they assume only ≥ 0 (a reader who assumed ≥ threshold there would reach a contradiction, not a value).
- **What an attacker is assumed to know** (and what the checks below defend against):
  1. every published number, and that each line (a row, a column, a 1-D table) sums to its total;
  2. that a "<5" cell lies in 1..threshold−1 (0..threshold−1 where zeros may be masked), and that a
     complementary cell is ≥ threshold (≥ 0 for a zero taken as a last resort).
  Each line is made safe on its own against both (no suppressed cell of a line has a single possible
  value given the line's equation and those bounds), and in a 2-D table no suppressed cell is fixed by
  the whole system of equations (no cell is a *bridge* of the graph of suppressed cells). Attacks that
  combine the bounds of several lines at once (an integer programme over the whole table) are not
  audited here; tables published by the platform are small and the per-line bounds already force wide
  ranges.

The functions are pure: counts in, a table of `int | "<5" | None` out. Totals are computed here, from
the cells, so that a caller cannot publish a total that disagrees with its cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

DEFAULT_THRESHOLD: Final = 5
# How a complementary cell is written in a CSV file (JSON uses null).
COMPLEMENTARY_TEXT: Final = "x"

Cell = int | str | None

_PUBLISHED: Final = 0
_PRIMARY: Final = 1
_COMPLEMENTARY: Final = 2

Key = tuple[int, int]


def small_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The text of a primarily suppressed cell: "<5" for the default threshold."""
    return f"<{threshold}"


@dataclass(frozen=True)
class Table1D:
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Table2D:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell


@dataclass(frozen=True)
class _Line:
    interior: tuple[Key, ...]
    total: Key


class _Suppressor:
    """Cells keyed by (row, column) of the table extended with its margins; lines are its equations."""

    def __init__(self, values: dict[Key, int], lines: list[_Line], threshold: int, *, graph: bool) -> None:
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        if any(v < 0 for v in values.values()):
            raise ValueError("counts cannot be negative")
        self.values = values
        self.lines = lines
        self.threshold = threshold
        self.graph = graph
        self.status: dict[Key, int] = {
            key: _PRIMARY if 0 < value < threshold else _PUBLISHED for key, value in values.items()
        }
        # Cells that lie in a line whose total is "<5": their zeros are masked, so "<5" may mean 0 there.
        # A line of zeros is known to be zeros whatever is shown (its total says so), so it is never masked.
        self.known_zero = known_zero = {
            key for line in lines if values[line.total] == 0 for key in (*line.interior, line.total)
        }
        self.masked_line_cells: set[Key] = set()
        for line in lines:
            if self.status[line.total] == _PRIMARY:
                for key in line.interior:
                    self.masked_line_cells.add(key)
                    if values[key] == 0 and key not in known_zero:
                        self.status[key] = _PRIMARY

    # --- what the attacker knows -------------------------------------------------------------------

    def _bounds(self, key: Key) -> tuple[float, float]:
        if self.status[key] == _COMPLEMENTARY:
            # A zero taken as a last resort is "x" like the others, but the check must not assume ≥ 5.
            return (float(self.threshold) if self.values[key] else 0.0), math.inf
        low = 0.0 if key in self.masked_line_cells else 1.0
        return low, float(self.threshold - 1)

    def _suppressed(self, key: Key) -> bool:
        return self.status[key] != _PUBLISHED

    def line_is_pinned(self, line: _Line) -> bool:
        """Whether some suppressed cell of the line has one possible value, given the line alone."""
        unknown = [k for k in line.interior if self._suppressed(k)]
        known = sum(self.values[k] for k in line.interior if not self._suppressed(k))
        total_unknown = self._suppressed(line.total)
        if not unknown and not total_unknown:
            return False
        if len(unknown) + total_unknown == 1:
            return True
        bounds = [self._bounds(k) for k in unknown]
        low_sum = sum(b[0] for b in bounds)
        high_sum = sum(b[1] for b in bounds)
        if total_unknown:
            t_low, t_high = self._bounds(line.total)
        else:
            t_low = t_high = float(self.values[line.total])
        # x_total = known + Σ unknown: each unknown ranges over what the others and the total leave.
        for low, high in bounds:
            lo = max(low, t_low - known - (high_sum - high))
            hi = min(high, t_high - known - (low_sum - low))
            if lo >= hi:
                return True
        if total_unknown:
            lo = max(t_low, known + low_sum)
            hi = min(t_high, known + high_sum)
            if lo >= hi:
                return True
        return False

    # --- the rounds ----------------------------------------------------------------------------------

    def _complement_in(self, line: _Line) -> bool:
        """Suppresses one more cell of `line`; False when nothing is left to suppress there.

        The smallest non-zero cell first, then the total, and only then a zero: the last resort when
        every non-zero cell of the line is hidden already.
        """
        candidates = [k for k in line.interior if not self._suppressed(k) and self.values[k] > 0]
        if candidates:
            chosen = min(candidates, key=lambda k: (self.values[k], k))
            self.status[chosen] = _COMPLEMENTARY
            return True
        if not self._suppressed(line.total) and self.values[line.total] > 0:
            self.status[line.total] = _COMPLEMENTARY
            return True
        zeros = [k for k in line.interior if not self._suppressed(k) and k not in self.known_zero]
        if zeros:
            self.status[min(zeros)] = _COMPLEMENTARY
            return True
        return False

    def _fix_lines(self) -> bool:
        changed = False
        progress = True
        while progress:
            progress = False
            for line in self.lines:
                while self.line_is_pinned(line) and self._complement_in(line):
                    progress = changed = True
        return changed

    def run(self) -> dict[Key, int]:
        while True:
            self._fix_lines()
            if not self.graph:
                return self.status
            bridges = self.bridges()
            fixed = False
            for key in bridges:
                for line in self.lines:
                    if (key in line.interior or key == line.total) and self._complement_in(line):
                        fixed = True
                        break
                if fixed:
                    break
            if not fixed:
                return self.status

    # --- the whole system (2-D) -----------------------------------------------------------------------

    def bridges(self) -> list[Key]:
        """Suppressed cells that the system of line equations fixes to one value.

        In the table extended with its margins every row and every column sums to zero (a total counted
        negative), so the suppressed cells are edges of a bipartite graph of rows and columns, and the
        freedom left to them is the graph's cycle space: a cell is determined exactly when it is a bridge.
        """
        adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Key]]] = {}
        for key, status in self.status.items():
            if status == _PUBLISHED:
                continue
            row, col = ("r", key[0]), ("c", key[1])
            adjacency.setdefault(row, []).append((col, key))
            adjacency.setdefault(col, []).append((row, key))
        order: dict[tuple[str, int], int] = {}
        low: dict[tuple[str, int], int] = {}
        found: list[Key] = []
        counter = 0
        for start in sorted(adjacency):
            if start in order:
                continue
            order[start] = low[start] = counter
            counter += 1
            stack: list[tuple[tuple[str, int], Key | None, int]] = [(start, None, 0)]
            while stack:
                node, via, index = stack[-1]
                edges = adjacency[node]
                if index < len(edges):
                    stack[-1] = (node, via, index + 1)
                    neighbour, edge = edges[index]
                    if edge == via:
                        continue
                    if neighbour in order:
                        low[node] = min(low[node], order[neighbour])
                    else:
                        order[neighbour] = low[neighbour] = counter
                        counter += 1
                        stack.append((neighbour, edge, 0))
                else:
                    stack.pop()
                    if stack and via is not None:
                        parent = stack[-1][0]
                        low[parent] = min(low[parent], low[node])
                        if low[node] > order[parent]:
                            found.append(via)
        return sorted(found)


def _render(value: int, status: int, threshold: int) -> Cell:
    if status == _PRIMARY:
        return small_label(threshold)
    if status == _COMPLEMENTARY:
        return None
    return value


def suppress_1d(counts: Sequence[int], *, threshold: int = DEFAULT_THRESHOLD) -> Table1D:
    """A list of category counts and its total, safe to publish."""
    n = len(counts)
    values: dict[Key, int] = {(0, j): int(v) for j, v in enumerate(counts)}
    values[(0, n)] = sum(values.values())
    line = _Line(interior=tuple((0, j) for j in range(n)), total=(0, n))
    status = _Suppressor(values, [line], threshold, graph=False).run()
    cells = [_render(values[(0, j)], status[(0, j)], threshold) for j in range(n)]
    return Table1D(cells=cells, total=_render(values[(0, n)], status[(0, n)], threshold))


def suppress_2d(counts: Sequence[Sequence[int]], *, threshold: int = DEFAULT_THRESHOLD) -> Table2D:
    """A rows × columns table with row, column and grand totals, safe to publish."""
    m = len(counts)
    n = len(counts[0]) if m else 0
    if any(len(row) != n for row in counts):
        raise ValueError("every row must have the same number of columns")
    values: dict[Key, int] = {}
    for i, row in enumerate(counts):
        for j, v in enumerate(row):
            values[(i, j)] = int(v)
        values[(i, n)] = sum(int(v) for v in row)
    for j in range(n + 1):
        values[(m, j)] = sum(values[(i, j)] for i in range(m))
    lines = [_Line(tuple((i, j) for j in range(n)), (i, n)) for i in range(m + 1)]
    lines += [_Line(tuple((i, j) for i in range(m)), (m, j)) for j in range(n + 1)]
    if m == 0 or n == 0:
        lines = []
    status = _Suppressor(values, lines, threshold, graph=True).run()

    def cell(i: int, j: int) -> Cell:
        return _render(values[(i, j)], status[(i, j)], threshold)

    return Table2D(
        cells=[[cell(i, j) for j in range(n)] for i in range(m)],
        row_totals=[cell(i, n) for i in range(m)],
        column_totals=[cell(m, j) for j in range(n)],
        grand_total=cell(m, n),
    )


def cell_text(cell: Cell) -> str:
    """A cell as written in a CSV file."""
    if cell is None:
        return COMPLEMENTARY_TEXT
    return str(cell)
