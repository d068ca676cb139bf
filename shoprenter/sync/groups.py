"""Importing a page of orders in groups, one unit of work per group.

A group goes through whole or not at all.  When it fails, it is split and
each part tried again, down to the single order, so a bad order ends up
alone (and is logged with its own message) while the others go through.
A failure that names its order (the order raised while it was read) splits
the group around that order; one that does not (a bulk step of the group
failed, e.g. the database refused the statement) halves the group.

The group size adapts: a failure no order is blamed for halves the size of
the groups that follow; after a few groups in a row went through it doubles
again, up to the maximum, so a size the database refuses is not tried on
every other group.  An order's own failure says nothing about the size.

ERP-free: the ERP runs a group (run_group) and a single order (run_alone);
its transactions, retries of conflicts and logging are its own."""

__all__ = ['GroupFailed', 'GroupSize', 'split', 'run_groups']


class GroupFailed(Exception):
    """A group that did not go through, all of it undone.

    index: the position in the group of the order that failed, None when
    the failure is the group's (no order is to blame)."""

    def __init__(self, index=None, error=None):
        super().__init__(index, error)
        self.index = index
        self.error = error


class GroupSize:
    "The size of the next group: halved by the group's failures, regrown by successes"

    # Groups in a row that went through before the size doubles again
    regrow_after = 4

    def __init__(self, maximum, start=None):
        self.maximum = max(1, maximum)
        self.current = min(self.maximum, start or self.maximum)
        self.successes = 0

    def failed(self, size):
        self.current = max(1, min(self.current, size) // 2)
        self.successes = 0

    def succeeded(self):
        self.successes += 1
        if self.successes >= self.regrow_after:
            self.current = min(self.maximum, self.current * 2)
            self.successes = 0


def split(group, index=None):
    """The parts to try again of a failed group: around the order at index
    (that order alone), else the two halves"""
    if index is not None and 0 <= index < len(group):
        parts = [group[:index], group[index:index + 1], group[index + 1:]]
    else:
        half = len(group) // 2
        parts = [group[:half], group[half:]]
    return [part for part in parts if part]


def run_groups(items, size, run_group, run_alone, alone=None):
    """Run the items in order, in groups of at most size.current items.

    run_group(group) commits the group or raises GroupFailed; run_alone(item)
    runs one item as a unit of its own and deals with its failure itself.
    alone(item): true for an item known to need a unit of its own (e.g. it
    fails a check made without writing): it runs alone, in its place, and
    never spoils a group.  Return the number of groups that went through."""
    done = 0

    def attempt(group):
        nonlocal done
        if len(group) == 1:
            run_alone(group[0])
            return
        try:
            run_group(group)
        except GroupFailed as failure:
            if failure.index is None:
                size.failed(len(group))
            for part in split(group, failure.index):
                attempt(part)
        else:
            done += 1
            size.succeeded()

    batch = []
    for item in items:
        if alone is not None and alone(item):
            if batch:
                attempt(batch)
                batch = []
            run_alone(item)
            continue
        batch.append(item)
        if len(batch) >= size.current:
            attempt(batch)
            batch = []
    if batch:
        attempt(batch)
    return done
