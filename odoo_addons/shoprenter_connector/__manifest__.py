{
    'name': "ShopRenter Connector",
    'summary': "ShopRenter webshop orders as confirmed sales, every five minutes",
    'description': """
Downloads the orders of ShopRenter webshops into confirmed sales orders with
the right customer, products, VAT, shipping and payment method and coupon, so
that they reserve stock.  The rules are those of the ERP-free ``shoprenter``
package, shared with the Tryton module of the same project.
""",
    'version': '19.0.1.0.0',
    'category': 'Sales/Sales',
    'author': "ShopRenter sync project",
    'license': 'GPL-3',
    'depends': ['sale_management', 'stock', 'account', 'delivery', 'l10n_hu'],
    'external_dependencies': {'python': ['shoprenter-sync', 'requests', 'python-stdnum']},
    'data': [
        'security/shoprenter_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron_data.xml',
        'views/shoprenter_shop_views.xml',
        'views/shoprenter_sync_log_views.xml',
        'views/sale_order_views.xml',
        'views/res_partner_views.xml',
        'views/shoprenter_menus.xml',
    ],
    'installable': True,
    'application': False,
}
