"""The cron's order download run now, shop by shop, and what it did in the words of
`shoprenter sync` (the Tryton command)."""
from dataclasses import dataclass, field

from .progress import progress_bar

# Exit codes, as `shoprenter sync`'s: 1 when an order or a run failed, else 3 when a run
# did not start because another sync of the shop held its lock
EXIT_FAILED, EXIT_SKIPPED = 1, 3


@dataclass
class Report:
    "One shop's run: its log's counts, or skipped"
    shop: str
    skipped: bool = False
    state: str = None
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (order number, message)
    error: str = None  # why the whole run failed

    @classmethod
    def of_log(cls, shop, log):
        if not log:
            return cls(shop.name, skipped=True)
        return cls(shop.name, state=log.state,
            counts={name: log[name] for name in
                ['created', 'updated', 'cancelled', 'unchanged', 'skipped', 'failed']},
            errors=[(entry.order_number or entry.shoprenter_id or '?', entry.message)
                for entry in log.entry_ids if entry.level == 'error'],
            error=log.message if log.state == 'failed' else None)


def sync_shops(shops, show_progress=True):
    """Run the order download of each shop as the cron does (each order committed as it
    imports); return a Report per shop"""
    reports = []
    for shop in shops:
        if show_progress:
            with progress_bar(f"ShopRenter orders ({shop.name})") as bar:
                logs = shop._sync_orders(progress=bar)
        else:
            logs = shop._sync_orders()
        shop.env.cr.commit()
        reports.append(Report.of_log(shop, logs[:1]))
    return reports


def exit_code(reports):
    if any(not r.skipped and (r.error or r.counts.get('failed')) for r in reports):
        return EXIT_FAILED
    if any(r.skipped for r in reports):
        return EXIT_SKIPPED
    return 0


def report_lines(report):
    if report.skipped:
        return [f"Orders: skipped. Another sync of shop \"{report.shop}\" is running "
            "(it holds the shop's lock); this one did not start."]
    counts = report.counts
    lines = [f"Orders: {counts['created']} imported, {counts['updated']} updated, "
        f"{counts['cancelled']} cancelled, {counts['unchanged']} unchanged, "
        f"{counts['skipped']} skipped, {counts['failed']} stopped"]
    lines += [f"  stopped #{number}: {message}" for number, message in report.errors]
    if report.error:
        lines.append(f"The sync failed: {report.error}")
    return lines
