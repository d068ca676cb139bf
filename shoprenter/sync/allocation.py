"""Which open sales can ship now: the on-hand stock allocated oldest first.

A sale is fulfillable only when every goods line is covered; a sale that is
not takes nothing, so no unit is promised twice.  A short line learns the
date stock on its way in covers it, the blocked sales served oldest first
from what the fulfillable ones left plus what arrives."""
import datetime as dt
from collections import defaultdict
from itertools import groupby
from operator import itemgetter

__all__ = ['EPSILON', 'allocate']

# Quantities below this are rounding noise of the unit conversions
EPSILON = 1e-6


def allocate(rows, on_hand, incoming):
    """Allocate on_hand to the demand rows.

    rows: (sale, warehouse, line, product, quantity, invoiced, …) sorted by
        sale, oldest first (extra columns are left alone); quantities in the
        product's default unit
    on_hand: (warehouse, product) -> quantity
    incoming: (warehouse, product) -> [(date or date.max, quantity), …]
    Return (lines, blocked, invoiced): line -> (allocated, shortage, due
    date or None), the sales that cannot ship now, the invoiced sales."""
    remaining = defaultdict(float, on_hand)
    lines, blocked, invoiced = {}, set(), set()
    short_lines = []
    for sale, group in groupby(rows, itemgetter(0)):
        group = list(group)
        taken = {}
        covered = True
        for _, warehouse, line, product, quantity, *_ in group:
            key = warehouse, product
            available = taken.get(key)
            if available is None:
                available = max(remaining[key], 0)
            if quantity <= available:
                taken[key] = available - quantity
                lines[line] = (quantity, 0.0, None)
            else:
                taken[key] = 0
                lines[line] = (available, quantity - available, None)
                if quantity - available > EPSILON:
                    covered = False
        if covered:
            remaining.update(taken)
        else:
            # A sale that cannot ship takes nothing from the others
            blocked.add(sale)
            short_lines.extend(group)
        if group[0][5]:
            invoiced.add(sale)
    _due_dates(lines, short_lines, remaining, incoming)
    return lines, blocked, invoiced


def _due_dates(lines, short_lines, remaining, incoming):
    """The date incoming stock covers each short line: the stock left after
    the fulfillable sales plus what comes in goes to the blocked sales
    oldest first, so a younger sale waits for the older ones' share."""
    wanted = defaultdict(float)
    arrivals = {key: sorted(moves) for key, moves in incoming.items()}
    for _, warehouse, line, product, quantity in (r[:5] for r in short_lines):
        key = warehouse, product
        wanted[key] += quantity
        allocated, shortage, _ = lines[line]
        if shortage <= EPSILON:
            continue
        stock = remaining[key]
        due = None
        for date, arriving in arrivals.get(key, []):
            stock += arriving
            if stock >= wanted[key] - EPSILON:
                due = date if date != dt.date.max else None
                break
        lines[line] = (allocated, shortage, due)
