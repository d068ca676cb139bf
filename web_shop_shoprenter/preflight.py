"""What `shoprenter demo` needs, checked in a second before it spends
minutes building a database.

Nothing here imports trytond: the demo configures it later."""
import importlib.metadata
import importlib.util
import re
import shutil
import sys
from pathlib import Path

DISTRIBUTION = 'trytond_web_shop_shoprenter'
# What the demo itself imports or runs, whatever the install says
IMPORTS = {
    'trytond': 'trytond>=8.0,<8.1',
    'proteus': 'proteus>=8.0,<8.1',
    'tqdm': 'tqdm',
    'requests': 'requests',
    }


def missing_for_demo():
    "Lines saying what is missing and how to get it; empty when nothing is"
    missing, names = [], set()
    for module, requirement in IMPORTS.items():
        if importlib.util.find_spec(module) is None:
            missing.append(f"{module} (pip install '{requirement}')")
            names.add(_normalise(module))
    missing += [f"{name} (pip install '{requirement}')"
        for name, requirement in _missing_requirements()
        if _normalise(name) not in names]
    if not trytond_admin():
        missing.append("the trytond-admin command (it comes with trytond)")
    if missing:
        missing.append(f"or install the whole module: pip install "
            f"{DISTRIBUTION}")
    return missing


def _missing_requirements():
    "The installed module's own requirements that are not installed"
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return []  # run from a source tree: the imports above tell
    for requirement in requirements:
        if 'extra ==' in requirement:
            continue
        name = re.match(r'[A-Za-z0-9._-]+', requirement).group()
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            yield name, requirement.split(';')[0].strip()


def _normalise(name):
    return re.sub(r'[-_.]+', '_', name).lower()


def trytond_admin():
    "The trytond-admin next to this Python, else on the PATH"
    return shutil.which(
        'trytond-admin', path=str(Path(sys.executable).parent)) or (
        shutil.which('trytond-admin'))
