"""Why an order cannot become a sale: one exception family, rendered by each ERP.

The English text is the default; an ERP translates from the class and its
attributes (number, problem, tax), so the rule decides and the ERP speaks."""

__all__ = ['OrderError', 'MalformedOrder', 'OrderWithoutLines', 'UnmappedVat', 'FieldTooLong',
           'BadQuantity']


class OrderError(Exception):
    "An order that stops alone: logged with its number, retried on the next run"

    def __init__(self, number, message):
        super().__init__(message)
        self.number = number


class MalformedOrder(OrderError):
    "The shop's data cannot be read safely"

    def __init__(self, number, problem):
        super().__init__(number, f'ShopRenter order #{number} cannot be read: {problem}.')
        self.problem = problem


class OrderWithoutLines(OrderError):
    def __init__(self, number):
        super().__init__(number, f'ShopRenter order #{number} has no product lines.')


class UnmappedVat(OrderError):
    "A VAT of the order has no tax in the shop's mapping: tax is its name or rate label"

    def __init__(self, number, tax):
        super().__init__(number, f'ShopRenter order #{number}: VAT "{tax}" has no mapping.')
        self.tax = tax


class FieldTooLong(OrderError):
    "A text of the order (line None) or of its line (1-based) is longer than the import takes"

    def __init__(self, number, field, length, limit, start, line=None):
        where = f'the field {field} of its line {line}' if line else f'its field {field}'
        super().__init__(number, f'ShopRenter order #{number} is not imported: {where} is '
            f'{length} characters long, more than the {limit} the import takes ("{start}…").')
        self.field, self.length, self.limit, self.start, self.line = (
            field, length, limit, start, line)


class BadQuantity(OrderError):
    "A line's quantity is not a whole number from 1 to maximum (quantity: as the shop wrote it)"

    def __init__(self, number, line, name, quantity, maximum):
        super().__init__(number, f'ShopRenter order #{number} is not imported: its line {line} '
            f'({name}) has the quantity {quantity}, and only whole numbers from 1 to {maximum} '
            'are imported.')
        self.line, self.name, self.quantity, self.maximum = line, name, quantity, maximum
