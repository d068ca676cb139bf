"""`shoprenter demo` without what it needs stops at once and says what to
install, instead of failing minutes later."""
import subprocess
import sys

# Runs the command with proteus impossible to import, as on a machine where
# it was never installed.
WITHOUT_PROTEUS = (
    "import sys; sys.modules['proteus'] = None; "
    "from web_shop_shoprenter.cli import main; sys.exit(main(sys.argv[1:]))")


def test_demo_without_proteus_stops_before_the_database(tmp_path):
    result = subprocess.run(
        [sys.executable, '-c', WITHOUT_PROTEUS, 'demo', '--dir',
            str(tmp_path / 'demo')],
        capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "proteus (pip install 'proteus>=8.0,<8.1')" in result.stderr
    assert "pip install trytond_web_shop_shoprenter" in result.stderr
    # Nothing was built: it stopped before creating the database
    assert not (tmp_path / 'demo').exists()


def test_nothing_missing_in_this_install():
    from web_shop_shoprenter.preflight import missing_for_demo
    assert missing_for_demo() == []
