"""Order statuses (shoprenter.sync.status): the default action of ShopRenter's status
names, the statuses written back to the shop, and what a download does with an order
given its action, its sale and the shop's history date."""
import datetime as dt

import pytest

from shoprenter import Client
from shoprenter.sandbox.demo import demo_seed
from shoprenter.sync import status
from shoprenter.sync.errors import MalformedOrder
from shoprenter.sync.settings import read_shop_settings

CREATED = dt.datetime(2025, 3, 14, 9, 30, 0)
UPDATED = dt.datetime(2025, 3, 20, 16, 0, 0)
STATUS = 'b3JkZXJTdGF0dXMtb3JkZXJfc3RhdHVzX2lkPTQ='
OTHER = 'b3JkZXJTdGF0dXMtb3JkZXJfc3RhdHVzX2lkPTE='


def make_order(**values):
    order = {'id': 'b3JkZXItb3JkZXJfaWQ9MTcy', 'innerId': '172',
        'dateCreated': CREATED, 'dateUpdated': UPDATED,
        'orderStatus': {'href': f'http://shop/api/orderStatuses/{STATUS}'}}
    order.update(values)
    return order


@pytest.mark.parametrize('name, kind', [
    ('Függőben', 'open'), ('Pending', 'open'), ('Feldolgozás alatt', 'open'),
    ('Processing', 'open'), ('Szállításra vár', 'open'), ('Awaiting shipping', 'open'),
    ('Kiszállítva', 'done'), ('Shipped', 'done'), ('Szállítás alatt', 'done'),
    ('Shipping', 'done'), ('Teljesítve', 'done'), ('Complete', 'done'),
    ('Completed', 'done'), ('  TELJESÍTVE ', 'done'),
    ('Törölve', 'cancel'), ('Cancelled', 'cancel'), ('Canceled', 'cancel'),
    ('Visszavont', 'cancel'), ('Visszavonva', 'cancel'), ('Sztornó', 'cancel'),
    ('Storno', 'cancel'), ('Visszautasítva', 'cancel'), (None, 'open'), ('', 'open')])
def test_status_names_in_hungarian_and_english(name, kind):
    assert status.status_kind(name) == kind
    expected = {'open': 'import', 'done': 'done', 'cancel': 'cancel'}[kind]
    assert status.status_action(name, status.ACTIONS) == expected


def test_an_erp_without_done_imports_completed_orders_as_before():
    assert status.status_action('Teljesítve') == 'import'
    assert status.status_action('Teljesítve', status.BASIC_ACTIONS) == 'import'
    assert status.status_action('Törölve') == 'cancel'


def test_written_back_statuses_by_name():
    statuses = {'1': 'Függőben', '2': 'Feldolgozás alatt', '3': 'Szállítás alatt',
        '4': 'Teljesítve', '5': 'Törölve', '6': 'Storno'}
    assert status.default_status(statuses, 'shipped') == '4'
    assert status.default_status(statuses, 'cancelled') == '5'
    # Kiszállítva says exactly what the ERP did, before Teljesítve
    assert status.default_status(dict(statuses, **{'7': 'Kiszállítva'}), 'shipped') == '7'
    assert status.default_status({'1': 'Pending', '9': 'Order complete'}, 'shipped') == '9'
    assert status.default_status({'1': 'Pending', '2': 'Processing'}, 'shipped') is None
    assert status.default_status({'1': 'Pending'}, 'cancelled') is None


def test_new_orders_by_action_and_history():
    order = make_order()
    assert status.decide(make_order(orderStatus=None), None, False) == status.SKIP
    assert status.decide(order, 'import', False) == status.CREATE
    # An open order imports whatever its age
    assert status.decide(order, 'import', False, history_from=dt.date(2026, 1, 1)) \
        == status.CREATE
    assert status.decide(order, 'cancel', False, history_from=dt.date(2020, 1, 1)) \
        == status.SKIP
    assert status.decide(order, 'ignore', False) == status.SKIP
    # Done in the shop before the history date (or with none): history, skipped
    assert status.decide(order, 'done', False) == status.SKIP
    assert status.decide(order, 'done', False, history_from=dt.date(2025, 3, 15)) \
        == status.SKIP
    # From the history date on: a sale, shipped at once
    assert status.decide(order, 'done', False, history_from=dt.date(2025, 3, 14)) \
        == status.CREATE_DONE
    assert status.decide(order, 'done', False,
        history_from=dt.datetime(2025, 3, 1, 12, 0)) == status.CREATE_DONE
    assert status.decide(make_order(dateCreated=None), 'done', False,
        history_from=dt.date(2000, 1, 1)) == status.SKIP
    with pytest.raises(MalformedOrder):
        status.decide(order, None, False)


def test_orders_with_a_sale():
    order = make_order()
    assert status.decide(order, 'import', True, UPDATED) == status.UNCHANGED
    assert status.decide(order, 'import', True, CREATED) == status.UPDATE
    assert status.decide(order, 'cancel', True, UPDATED) == status.CANCEL
    assert status.decide(order, 'done', True, CREATED) == status.DONE
    assert status.decide(order, 'done', True, UPDATED) == status.DONE
    assert status.decide(order, 'ignore', True) == status.SKIP


def test_a_status_the_erp_wrote_never_undoes_its_work():
    "The status we wrote comes back: only the order's content is compared"
    order = make_order()
    assert status.decide(order, 'done', True, CREATED, written_status=STATUS) == status.UPDATE
    assert status.decide(order, 'done', True, UPDATED, written_status=STATUS) \
        == status.UNCHANGED
    assert status.decide(order, 'cancel', True, UPDATED, written_status=STATUS) \
        == status.UNCHANGED
    # A status the merchant set afterwards is theirs again
    assert status.decide(order, 'done', True, CREATED, written_status=OTHER) == status.DONE


@pytest.fixture(scope='module')
def demo_statuses():
    from shoprenter.sandbox import Sandbox, SandboxServer
    server = SandboxServer(Sandbox(demo_seed(), rate_limit=None)).start()
    try:
        with Client('demo', 'demo-client', 'demo-secret', api_url=server.api_url,
                token_url=server.token_url, rate_limit=None) as client:
            statuses, _ = read_shop_settings(client)
        yield statuses
    finally:
        server.stop()


def test_the_demo_shops_statuses(demo_statuses):
    "The demo shop's statuses, read over HTTP in Hungarian, get the actions a merchant expects"
    actions = {name: status.status_action(name, status.ACTIONS)
        for name in demo_statuses.values()}
    assert actions == {'Függőben': 'import', 'Feldolgozás alatt': 'import',
        'Szállítás alatt': 'done', 'Teljesítve': 'done', 'Törölve': 'cancel',
        'Storno': 'cancel'}
    by_name = {name: status_id for status_id, name in demo_statuses.items()}
    assert status.default_status(demo_statuses, 'shipped') == by_name['Teljesítve']
    assert status.default_status(demo_statuses, 'cancelled') == by_name['Törölve']
