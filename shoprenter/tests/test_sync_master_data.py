"The master-data import's shared plan and the shapes it reads the shop's data in."
import pytest

from shoprenter.sync.master_data import Plan, customer_as_buyer, first_name


def test_plan_counts_each_action_per_kind_and_lists_only_changes():
    plan = Plan()
    plan.add('product', 'create', 'HU-1')
    plan.add('product', 'create', 'HU-2')
    plan.add('product', 'unchanged', 'HU-3')
    plan.add('customer', 'change', 'Kiss Anna: 1 new address(es)')
    assert plan.counts('product') == {
        'create': 2, 'link': 0, 'change': 0, 'unchanged': 1}
    assert plan.counts('tax') == {'create': 0, 'link': 0, 'change': 0, 'unchanged': 0}
    assert plan.changes() == [('product', 'create', 'HU-1'), ('product', 'create', 'HU-2'),
        ('customer', 'change', 'Kiss Anna: 1 new address(es)')]
    assert plan.changes(limit=1) == [('product', 'create', 'HU-1')]


def test_plan_applies_what_changes_in_order_and_never_what_is_unchanged():
    done = []
    plan = Plan()
    plan.add('tax', 'create', '27%', lambda: done.append('tax'))
    plan.add('product', 'unchanged', 'HU-3', lambda: done.append('unchanged'))
    plan.add('product', 'link', 'HU-4', lambda: done.append('link'))
    plan.add('customer', 'change', 'no function')
    plan.apply()
    assert done == ['tax', 'link']


def test_plan_refuses_an_unknown_kind_or_action():
    with pytest.raises(AssertionError):
        Plan().add('products', 'create', 'HU-1')
    with pytest.raises(AssertionError):
        Plan().add('product', 'delete', 'HU-1')


def test_first_name_skips_descriptions_without_a_name():
    assert first_name([{'name': ''}, 'junk', {'name': 'Kávé'}, {'name': 'Coffee'}]) == 'Kávé'
    assert first_name(None) is None
    assert first_name([{'language': {'id': 'x'}}]) is None


def test_customer_as_buyer_puts_the_default_address_first():
    customer = {'id': 'c1', 'firstname': 'Anna', 'lastname': 'Kiss', 'email': 'anna@example.hu',
        'telephone': '+36 30 123 4567',
        'defaultAddress': {'href': 'https://shop.api.myshoprenter.hu/addresses/a2'}}
    addresses = [
        {'id': 'a1', 'city': 'Szeged', 'postcode': '6720', 'address1': 'Kárász u. 1.',
            'country': {'href': 'https://shop.api.myshoprenter.hu/countries/hu'}},
        {'id': 'a2', 'city': 'Budapest', 'postcode': '1051', 'address1': 'Váci u. 2.',
            'company': 'Kiss Kft.', 'taxNumber': '12345676-2-41',
            'country': {'href': 'https://shop.api.myshoprenter.hu/countries/hu'}}]
    buyer = customer_as_buyer(customer, addresses, {'hu': 'HU'})
    assert [a['paymentCity'] for a in buyer['addresses']] == ['Budapest', 'Szeged']
    assert buyer['paymentCity'] == 'Budapest' and buyer['paymentCompany'] == 'Kiss Kft.'
    assert buyer['paymentCountry'] == {'isoCode2': 'HU'}
    assert buyer['taxNumber'] == '12345676-2-41'
    assert buyer['customer'] == {'id': 'c1'} and buyer['phone'] == '+36 30 123 4567'


def test_customer_without_addresses_is_a_buyer_without_address():
    buyer = customer_as_buyer({'id': 'c2', 'email': 'b@example.hu'}, [], {})
    assert buyer['addresses'] == [] and buyer['taxNumber'] is None
    assert buyer['email'] == 'b@example.hu' and 'paymentCity' not in buyer
