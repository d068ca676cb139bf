"""The master-data import's plan, the same in both ERPs.

The import reads the shop's VAT classes, payment and shipping modes, products
and customers, and plans for each what the ERP lacks: create it, link it to
what the ERP has, change it (a customer's new addresses) or leave it.  The
preview shows the plan; applying computes it again and carries it out, so a
second run finds everything in place and changes nothing."""
from ..values import resource_id

KINDS = ['tax', 'payment', 'shipping', 'product', 'customer']
ACTIONS = ['create', 'link', 'change', 'unchanged']


class Plan:
    "What the import would do: (kind, action, label, function that does it)"

    def __init__(self):
        self.steps = []

    def add(self, kind, action, label, apply=None):
        assert kind in KINDS and action in ACTIONS, (kind, action)
        self.steps.append((kind, action, label, apply))

    def count(self, kind, action):
        return sum(1 for k, a, _, _ in self.steps if k == kind and a == action)

    def counts(self, kind):
        "{action: how many} of a kind, for the summary's line"
        return {action: self.count(kind, action) for action in ACTIONS}

    def changes(self, limit=500):
        "(kind, action, label) of what would change, the first `limit` of them"
        return [(kind, action, label) for kind, action, label, _ in self.steps
            if action != 'unchanged'][:limit]

    def apply(self):
        for _, action, _, function in self.steps:
            if action != 'unchanged' and function:
                function()


def first_name(descriptions):
    "The name of the first description (of a product, a payment mode) that has one"
    for description in descriptions or ():
        if isinstance(description, dict) and description.get('name'):
            return description['name']
    return None


def customer_as_buyer(customer, addresses, countries):
    """A ShopRenter customer with its addresses (default first) as the buyer of
    an order, the shape the ERPs' customer import reads; countries maps a
    country's resource id to its ISO code"""
    default = resource_id(customer.get('defaultAddress'))
    addresses = sorted(addresses, key=lambda a: a['id'] != default)
    as_order = [{
            'paymentCompany': address.get('company'),
            'paymentFirstname': address.get('firstname'),
            'paymentLastname': address.get('lastname'),
            'paymentAddress1': address.get('address1'),
            'paymentAddress2': address.get('address2'),
            'paymentCity': address.get('city'),
            'paymentPostcode': address.get('postcode'),
            'paymentCountry': {'isoCode2': countries.get(
                    resource_id(address.get('country')))},
            } for address in addresses]
    buyer = dict(as_order[0] if as_order else {})
    buyer.update({
            'customer': {'id': customer['id']},
            'firstname': customer.get('firstname'),
            'lastname': customer.get('lastname'),
            'email': customer.get('email'),
            'phone': customer.get('telephone'),
            'taxNumber': addresses[0].get('taxNumber') if addresses else None,
            'addresses': as_order,
            })
    return buyer
