"""The floors hold: `lint-imports` keeps every contract in pyproject.toml, and breaks the one a
forbidden import goes against (shown on a copy of the package with such an import planted).
The Cython core, which import-linter does not read, cimports nothing outside itself."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "firmware" / "reverie"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """lint-imports on the package under root/firmware, with root/pyproject.toml's contracts."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root,
                          env={"PYTHONPATH": str(root / "firmware"), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_every_import_contract_is_kept():
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Contracts: (\d+) kept, 0 broken", done.stdout).group(1) == "6"


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The package's Python sources and the contracts, in a folder of their own."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(PACKAGE, root / "firmware" / "reverie",
                    ignore=shutil.ignore_patterns("*.so", "*.c", "*.html", "__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root)
    return root


@pytest.mark.parametrize("module, planted, broken", [
    ("sync/tap.py", "import rtmidi", ["sync does not import rtmidi",
                                      "No hardware library outside hal and app"]),
    ("hal/header.py", "from reverie.project import store",
     ["hal imports only base and core (never project)"]),
    ("ui/status.py", "import sounddevice", ["No hardware library outside hal and app"]),
    ("seq/driver.py", "from reverie.sync import tap", ["Floors: a floor imports only the floors below it"]),
    ("project/model.py", "from reverie.hal import box", ["Only the app imports hal, the concrete backends"]),
    ("core/__init__.py", "from reverie.base import errors", ["core imports nothing of the package"]),
])
def test_a_forbidden_import_breaks_its_contract(copy, module, planted, broken):
    path = copy / "firmware" / "reverie" / module
    original = path.read_text()
    path.write_text(original + f"\n{planted}  # planted by tests/test_architecture.py\n")
    try:
        done = lint_imports(copy)
    finally:
        path.write_text(original)
    assert done.returncode == 1, done.stdout
    failing = sorted(line.removesuffix(" BROKEN") for line in done.stdout.splitlines()
                     if line.endswith(" BROKEN"))
    assert failing == sorted(broken), done.stdout
    assert f"reverie.{module[:-3].replace('/', '.')}".removesuffix(".__init__") in done.stdout


def test_the_cython_core_cimports_only_itself():
    sources = sorted(PACKAGE.glob("core/**/*.pyx")) + sorted(PACKAGE.glob("core/**/*.pxd"))
    assert sources
    for source in sources:
        for module in re.findall(r"^\s*(?:from|c?import)\s+(reverie\.[\w.]+)", source.read_text(),
                                 flags=re.MULTILINE):
            assert module.startswith("reverie.core"), f"{source.name} imports {module}"


def test_the_architecture_page_names_every_package_folder_and_only_folders_that_exist():
    page = (REPO / "docs" / "architecture.md").read_text()
    folders_section = page[page.index("## The folders"):]
    named = set(re.findall(r"^\| `([a-z_/]+)/` \|", folders_section, flags=re.MULTILINE))
    packages = {str(p.parent.relative_to(PACKAGE)) for p in PACKAGE.rglob("__init__.py")} - {"."}
    assert packages - named == set(), "package folders docs/architecture.md does not name"
    assert {n for n in named if not (PACKAGE / n).is_dir()} == set(), "named folders that do not exist"
    assert len(named) >= len(packages) > 10
