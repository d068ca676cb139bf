"""A page of orders in groups (shoprenter.sync.groups): a failed group split down to
the single order, known-bad orders alone in their place, the group size halved by
failures no order is blamed for and regrown by successes."""
import pytest

from shoprenter.sync.groups import GroupFailed, GroupSize, run_groups, split


class Store:
    """A toy ERP: a group commits when it holds no bad item and is not larger than
    the database takes; a bad item raised while read is named by its position"""

    def __init__(self, bad=(), limit=None, blame=True):
        self.bad = set(bad)
        self.limit = limit
        self.blame = blame
        self.committed = []
        self.alone = []
        self.groups = []  # the groups tried

    def run_group(self, group):
        self.groups.append(list(group))
        if self.limit and len(group) > self.limit:
            raise GroupFailed(None, RuntimeError('parser stack overflow'))
        for index, item in enumerate(group):
            if item in self.bad:
                raise GroupFailed(index if self.blame else None, ValueError(item))
        self.committed.extend(group)

    def run_alone(self, item):
        self.alone.append(item)
        if item not in self.bad:
            self.committed.append(item)


def test_split_around_the_blamed_order_or_in_halves():
    assert split([1, 2, 3, 4, 5], 2) == [[1, 2], [3], [4, 5]]
    assert split([1, 2, 3, 4, 5], 0) == [[1], [2, 3, 4, 5]]
    assert split([1, 2, 3, 4, 5]) == [[1, 2], [3, 4, 5]]
    assert split([1, 2], 1) == [[1], [2]]


def test_one_bad_order_in_the_middle_ends_alone():
    store = Store(bad=[7])
    items = list(range(1, 14))
    run_groups(items, GroupSize(20), store.run_group, store.run_alone)
    assert sorted(store.committed) == [i for i in items if i != 7]
    assert 7 in store.alone
    # Split around it: the good ones went through in groups, not one by one
    assert store.alone == [7]


@pytest.mark.parametrize('bad', [[1], [8], [16], [3, 4, 11]])
def test_halving_finds_bad_orders_no_one_is_blamed_for(bad):
    store = Store(bad=bad, blame=False)
    items = list(range(1, 17))
    run_groups(items, GroupSize(16), store.run_group, store.run_alone)
    assert sorted(store.committed) == [i for i in items if i not in bad]
    assert set(bad) <= set(store.alone)
    assert len(store.alone) < len(items)  # not every order fell to one alone


def test_a_group_larger_than_the_database_takes_is_halved_and_the_size_adapts():
    store = Store(limit=5)
    size = GroupSize(16)
    items = list(range(40))
    run_groups(items, size, store.run_group, store.run_alone)
    assert sorted(store.committed) == items
    assert store.alone == []
    # After the first failures the groups stay near the limit instead of
    # starting again at 16 each time
    failed = [g for g in store.groups if len(g) > 5]
    assert len(failed) <= len(store.groups) // 4


def test_known_bad_orders_run_alone_in_their_place():
    store = Store()
    order = []
    store.run_alone = lambda item: order.append(('alone', item))
    store.run_group = lambda group: order.append(('group', list(group)))
    run_groups(range(1, 8), GroupSize(3), store.run_group, store.run_alone,
        alone=lambda item: item == 4)
    assert order == [('group', [1, 2, 3]), ('alone', 4), ('group', [5, 6, 7])]


def test_group_size():
    size = GroupSize(40)
    assert size.current == 40
    size.failed(40)
    assert size.current == 20
    size.failed(7)
    assert size.current == 3
    for _ in range(3):
        size.succeeded()
    assert size.current == 3  # not yet: a few successes in a row first
    for _ in range(4 * 4):
        size.succeeded()
    assert size.current == 40
    size.failed(1)
    assert size.current == 1
    assert GroupSize(0).current == 1
