"The shared allocation rule: oldest first, all or nothing per sale, due dates."
import datetime as dt

from shoprenter.sync.allocation import allocate

W, APPLE, PEAR = 'wh', 'apple', 'pear'
MAY_1, MAY_9 = dt.date(2026, 5, 1), dt.date(2026, 5, 9)


def row(sale, line, product, quantity, invoiced=False):
    return (sale, W, line, product, float(quantity), invoiced)


def test_older_sale_wins_the_last_units():
    rows = [row(1, 11, APPLE, 3), row(2, 21, APPLE, 3)]
    lines, blocked, _ = allocate(rows, {(W, APPLE): 4}, {})
    assert lines[11] == (3, 0.0, None)
    assert lines[21] == (1, 2, None)  # what is left, and its shortage
    assert blocked == {2}


def test_a_sale_that_cannot_ship_takes_nothing():
    "Sale 1 is short of pears: its apples stay for sale 2"
    rows = [row(1, 11, APPLE, 2), row(1, 12, PEAR, 5), row(2, 21, APPLE, 2)]
    lines, blocked, _ = allocate(rows, {(W, APPLE): 2, (W, PEAR): 1}, {})
    assert blocked == {1}
    assert lines[21] == (2, 0.0, None)


def test_due_date_serves_the_blocked_oldest_first():
    rows = [row(1, 11, APPLE, 5), row(2, 21, APPLE, 5)]
    incoming = {(W, APPLE): [(MAY_9, 5), (MAY_1, 5)]}
    lines, blocked, _ = allocate(rows, {}, incoming)
    assert blocked == {1, 2}
    assert lines[11][2] == MAY_1  # the first arrival covers the older sale
    assert lines[21][2] == MAY_9  # the younger waits for the second


def test_no_arrival_no_due_date_and_negative_stock_is_none():
    rows = [row(1, 11, APPLE, 1, invoiced=True)]
    lines, blocked, invoiced = allocate(rows, {(W, APPLE): -3}, {
        (W, APPLE): [(dt.date.max, 10)]})
    assert lines[11] == (0, 1, None)
    assert (blocked, invoiced) == ({1}, {1})
