"""The shop's VAT mapping: ShopRenter tax classes ("27 %") to the ERP's taxes.

A mapping is any object with .name (the tax class's short name) and .rate
(its percentage, or None); the ERP's tax on it is read by the caller."""
from ..values import resource_id
from .errors import UnmappedVat
from .money import parse_decimal, rate_label

__all__ = ['find_mapping', 'mapping_label', 'mapped_tax', 'class_rates', 'new_tax_classes',
           'sole']


def _rate(value):
    # An ERP's float rate compares as the decimal it prints as
    return parse_decimal(value) if value is not None else None


def find_mapping(mappings, rate, name=None):
    "The mapping of a VAT by short name (first) or by rate, else None"
    rate = parse_decimal(rate)
    mappings = list(mappings)
    for mapping in mappings:
        if name and mapping.name == name:
            return mapping
    for mapping in mappings:
        if mapping.rate is not None and _rate(mapping.rate) == rate:
            return mapping
    return None


def mapping_label(mapping, rate):
    "How a message names the VAT: its class's name, else its rate"
    return mapping.name if mapping else f'{rate_label(rate)} %'


def mapped_tax(mappings, rate, number, tax_of, name=None):
    """The mapping of the VAT rate (or name) whose tax (tax_of(mapping)) is set;
    raise UnmappedVat naming it for order number otherwise"""
    rate = parse_decimal(rate)
    mapping = find_mapping(mappings, rate, name)
    if not mapping or not tax_of(mapping):
        raise UnmappedVat(number, mapping_label(mapping, rate))
    return mapping


def class_rates(tax_rates):
    "{tax class id: rate} from the shop's taxRates, the first rate of each class"
    rates = {}
    for tax_rate in tax_rates:
        rates.setdefault(resource_id(tax_rate.get('taxClass')), parse_decimal(tax_rate.get('rate')))
    return rates


def new_tax_classes(tax_classes, tax_rates, known_names):
    "[(name, rate)] of the shop's tax classes the mapping does not name yet (Load VAT classes)"
    rates = class_rates(tax_rates)
    found = []
    for tax_class in tax_classes:
        name = tax_class.get('name')
        if not name or name in known_names:
            continue
        found.append((name, rates.get(tax_class.get('id'))))
    return found


def sole(candidates):
    "The one candidate tax of a rate, None when there are none or several to choose from"
    candidates = list(candidates)
    return candidates[0] if len(candidates) == 1 else None
