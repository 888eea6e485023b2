"""The layers hold: the core never loads Textual, the domain never loads the database layer,
import-linter's contracts are kept, and no module imports itself round a cycle."""

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import wijkwerk_tui

# Every module below the UI (the command line too: it loads Textual only to open the app).
CORE_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(wijkwerk_tui.__path__, "wijkwerk_tui.")
    if not m.name.startswith("wijkwerk_tui.ui") and ".migrations" not in m.name and not m.name.endswith("__main__")
)


def test_the_core_module_list_is_complete() -> None:
    packages = {name.split(".")[1] for name in CORE_MODULES}
    assert {"domain", "db", "store", "queries", "services", "ops", "security", "exchange", "cli", "config"} <= packages


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_load_textual(module: str) -> None:
    code = (
        f"import sys, {module}; bad = [m for m in ('textual', 'rich') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{module} loaded {result.stdout.strip()}"


def test_domain_does_not_load_the_database_layer() -> None:
    domain = [m for m in CORE_MODULES if m.startswith("wijkwerk_tui.domain")]
    code = (
        f"import sys, {', '.join(domain)}; "
        "sys.exit(1 if {'sqlalchemy', 'sqlmodel', 'platformdirs', 'openpyxl'} & set(sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([lint], capture_output=True, text=True, cwd=root, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def import_cycles(package: str) -> list[list[str]]:
    """Groups of modules that import each other round a cycle (Tarjan's strongly connected
    components), imports inside functions included. Imports for the type checker only
    (`if TYPE_CHECKING:`, how screens name the app class) are left out: they never run."""
    graph = grimp.build_graph(package, exclude_type_checking_imports=True)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycle() -> None:
    assert import_cycles("wijkwerk_tui") == []
