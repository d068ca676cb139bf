"""ShopRenter webshop sync for Tryton.

The module talks to ShopRenter only through the ERP-free ``shoprenter``
package (its API client)."""

# The webhook route registers itself with trytond's WSGI application.
from . import routes  # noqa: E402,F401
