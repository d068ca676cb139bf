from . import shoprenter_procure
from . import shoprenter_master_import
