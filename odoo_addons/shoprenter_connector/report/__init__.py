from . import report_pick_list
from . import report_packing_summary
from . import shoprenter_stock_analysis
