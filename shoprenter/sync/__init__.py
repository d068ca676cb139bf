"""The sync's rules, shared by the ERPs: what an order means, free of any ERP.

Each ERP adapter (the Tryton module, the Odoo addon) reads ShopRenter through
shoprenter.Client and decides through these functions, so a rule changed here
changes for both:

- order: checking an orderExtend, its quantities, totals and content digest;
- money: decimals, gross -> net, proportional splits;
- vat: the shop's VAT mapping (by short name or rate) and proposals for it;
- lines: the sale lines an order makes (goods, services, fees, coupon);
- keys: what matches customers, addresses, products and carriers;
- status: what an order status does, and what a download does with an order;
- settings: the shop's statuses and payment modes, named in Hungarian;
- cursor: which orders a download asks for and how far it got;
- totals: the check of the ERP's total against ShopRenter's TOTAL;
- groups: a page of orders in groups, split down to the bad order;
- master_data: the master-data import's plan.
"""
