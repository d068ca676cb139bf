{
    'name': "ShopRenter Connector",
    'summary': "ShopRenter webshop in step with Odoo: orders in, stock and prices out, "
               "the back office's lists",
    'description': """
Downloads the orders of ShopRenter webshops into confirmed sales orders with
the right customer, products, VAT, shipping and payment method and coupon, so
that they reserve stock; pushes the warehouse's promisable stock and the sale
prices back to the shop; lists the fulfillable orders, pick list, packing
summary, what to procure (with draft purchase orders) and a stock analysis.
The rules are those of the ERP-free ``shoprenter`` package, shared with the
Tryton module of the same project.
""",
    'version': '19.0.1.0.0',
    'category': 'Sales/Sales',
    'author': "ShopRenter sync project",
    'license': 'GPL-3',
    'depends': ['sale_management', 'sale_stock', 'account', 'delivery', 'purchase_stock',
        'l10n_hu', 'l10n_hu_edi'],
    'external_dependencies': {'python': ['shoprenter-sync', 'requests', 'python-stdnum']},
    'data': [
        'security/shoprenter_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron_data.xml',
        'data/sale_order_actions.xml',
        'data/mail_template_data.xml',
        'report/shoprenter_reports.xml',
        'report/report_pick_list_templates.xml',
        'report/report_packing_summary_templates.xml',
        'report/shoprenter_stock_analysis_views.xml',
        'report/report_invoice_templates.xml',
        'wizard/shoprenter_procure_views.xml',
        'wizard/shoprenter_master_import_views.xml',
        'views/shoprenter_shop_views.xml',
        'views/shoprenter_product_views.xml',
        'views/shoprenter_sync_log_views.xml',
        'views/sale_order_views.xml',
        'views/sale_order_fulfillment_views.xml',
        'views/res_partner_views.xml',
        'views/shoprenter_invoice_basket_views.xml',
        'views/account_move_views.xml',
        'views/shoprenter_menus.xml',
    ],
    'installable': True,
    'application': False,
}
