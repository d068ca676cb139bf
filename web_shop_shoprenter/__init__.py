"""ShopRenter webshop sync for Tryton.

The module talks to ShopRenter only through the ERP-free ``shoprenter``
package (its API client)."""
