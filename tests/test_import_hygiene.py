"""The core (domain, store, config) never loads Textual; the layers hold (import-linter)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORE_MODULES = [
    "wijkwerk_tui.domain.dates",
    "wijkwerk_tui.domain.ladders",
    "wijkwerk_tui.domain.signals",
    "wijkwerk_tui.domain.referrals",
    "wijkwerk_tui.domain.names",
    "wijkwerk_tui.domain.text",
    "wijkwerk_tui.db.engine",
    "wijkwerk_tui.store.residents",
    "wijkwerk_tui.queries.search",
    "wijkwerk_tui.store.ladders",
    "wijkwerk_tui.store.signals",
    "wijkwerk_tui.store.referrals",
    "wijkwerk_tui.ops.demo_data",
    "wijkwerk_tui.ops.maintenance",
    "wijkwerk_tui.config",
    "wijkwerk_tui.cli",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_load_textual(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in ('textual', 'rich') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{module} loaded {result.stdout.strip()}"


def test_domain_does_not_load_the_database_layer() -> None:
    code = (
        "import sys, wijkwerk_tui.domain.dates, wijkwerk_tui.domain.ladders, wijkwerk_tui.domain.signals, "
        "wijkwerk_tui.domain.referrals, wijkwerk_tui.domain.names; "
        "sys.exit(1 if {'sqlalchemy', 'sqlmodel', 'platformdirs'} & set(sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([lint], capture_output=True, text=True, cwd=root, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
