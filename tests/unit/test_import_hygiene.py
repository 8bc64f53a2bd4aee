"""The core must import and run without Textual (DESIGN.md: imports point one way)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import labeler

CORE_PACKAGES = ("domain", "ingest", "validation", "storage", "export", "session", "errors")
FORBIDDEN = ("textual", "labeler.tui")

# Run in a fresh interpreter: this test process may already have Textual loaded.
_PROBE = textwrap.dedent(
    """
    import importlib, json, sys
    forbidden, modules = json.loads(sys.argv[1])
    offenders = {}
    for name in modules:
        importlib.import_module(name)
        hit = [f for f in forbidden if f in sys.modules]
        if hit:
            offenders[name] = hit
            break
    print(json.dumps(offenders))
    """
)


def core_modules() -> list[str]:
    """Every module of the core packages, found on disk (new modules are covered too)."""
    root = Path(labeler.__file__).parent
    found: list[str] = []
    for package in CORE_PACKAGES:
        if (root / f"{package}.py").exists():
            found.append(f"labeler.{package}")
        elif (root / package).is_dir():
            found.append(f"labeler.{package}")
            prefix = f"labeler.{package}."
            found += [m.name for m in pkgutil.walk_packages([str(root / package)], prefix)]
    return sorted(found)


def modules_pulling_in(
    modules: list[str], forbidden: tuple[str, ...], extra_path: str = ""
) -> dict[str, list[str]]:
    """Which of `modules`, imported in order in a clean interpreter, load a forbidden module."""
    code = _PROBE if not extra_path else f"import sys; sys.path.insert(0, {extra_path!r})\n{_PROBE}"
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps([list(forbidden), modules])],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, list[str]] = json.loads(proc.stdout)
    return result


def test_core_modules_are_found() -> None:
    modules = core_modules()
    assert "labeler.domain.schema" in modules
    assert "labeler.storage.dataset" in modules
    assert "labeler.validation.files" in modules


def test_core_imports_without_textual() -> None:
    assert modules_pulling_in(core_modules(), FORBIDDEN) == {}


def test_probe_catches_a_core_module_that_imports_textual(tmp_path: Path) -> None:
    # The check above must be able to fail: a module importing textual is reported.
    (tmp_path / "leaky_core.py").write_text("import textual.app\n")
    assert modules_pulling_in(["leaky_core"], FORBIDDEN, str(tmp_path)) == {
        "leaky_core": ["textual"]
    }


def test_cli_validate_path_does_not_load_textual() -> None:
    # Commands that do not need the TUI must not pay Textual's import time (~0.3 s).
    assert modules_pulling_in(["labeler.cli.main"], ("textual",)) == {}
