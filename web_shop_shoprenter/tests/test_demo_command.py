"""`shoprenter demo`, run as a newcomer runs it: a new folder, the sandbox."""
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path


class DemoCommandTestCase(unittest.TestCase):

    def test_demo_imports_the_demo_orders(self):
        with tempfile.TemporaryDirectory() as directory:
            result = subprocess.run(
                [sys.executable, '-m', 'web_shop_shoprenter.cli', 'demo',
                    '--dir', directory],
                capture_output=True, text=True, timeout=900)
            output = result.stdout
            # The AAM order stops: the demo company has no tax for it.
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            self.assertTrue(
                (Path(directory) / 'demo.sqlite').stat().st_size > 0)
            self.assertTrue((Path(directory) / 'trytond.conf').exists())

        counts = re.search(
            r'Orders: (\d+) imported, .* (\d+) skipped, (\d+) stopped', output)
        self.assertIsNotNone(counts, output)
        imported, skipped, stopped = map(int, counts.groups())
        self.assertGreater(imported, 50)
        self.assertEqual(stopped, 1)
        self.assertIn('VAT "AAM" has no mapping', output)
        self.assertIn('trytond -c', output)
