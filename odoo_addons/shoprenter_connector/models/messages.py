"""What the clerk reads when an order stops: the rules' errors in the log's language."""
from shoprenter.sync.errors import (
    BadQuantity, FieldTooLong, MalformedOrder, OrderWithoutLines, UnmappedVat)


def order_error_message(env, error, shop):
    "The message of a shoprenter.sync OrderError, translated, saying what to do"
    if isinstance(error, UnmappedVat):
        return env._(
            "ShopRenter order #%(number)s: VAT \"%(tax)s\" has no mapping on shop "
            "\"%(shop)s\": add it under Sales > ShopRenter > ShopRenter Shops > %(shop)s "
            "> VAT Mapping; the order imports on the next run.",
            number=error.number, tax=error.tax, shop=shop.name)
    if isinstance(error, FieldTooLong) and error.line:
        return env._(
            "ShopRenter order #%(number)s is not imported: the field %(field)s of its line "
            "%(line)s is %(length)s characters long, more than the %(limit)s the import takes "
            "(\"%(start)s…\"). Correct it in the ShopRenter admin; the order imports on the "
            "next run.", number=error.number, field=error.field, line=error.line,
            length=error.length, limit=error.limit, start=error.start)
    if isinstance(error, FieldTooLong):
        return env._(
            "ShopRenter order #%(number)s is not imported: its field %(field)s is %(length)s "
            "characters long, more than the %(limit)s the import takes (\"%(start)s…\"). "
            "Correct it in the ShopRenter admin; the order imports on the next run.",
            number=error.number, field=error.field, length=error.length, limit=error.limit,
            start=error.start)
    if isinstance(error, BadQuantity):
        return env._(
            "ShopRenter order #%(number)s is not imported: its line %(line)s (%(name)s) has "
            "the quantity %(quantity)s, and only whole numbers from 1 to %(maximum)s are "
            "imported (the maximum is the Maximum Line Quantity of the shop). Correct the "
            "order in ShopRenter or raise the maximum; the order imports on the next run.",
            number=error.number, line=error.line, name=error.name, quantity=error.quantity,
            maximum=error.maximum)
    if isinstance(error, OrderWithoutLines):
        return env._("ShopRenter order #%(number)s has no product lines.", number=error.number)
    if isinstance(error, MalformedOrder):
        return env._("ShopRenter order #%(number)s cannot be read: %(problem)s.",
            number=error.number, problem=error.problem)
    return str(error)
