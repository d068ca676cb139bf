from trytond.exceptions import UserError


class ShopRenterOrderError(UserError):
    "An order that cannot be imported as it is: the message says what to do"
