"""The dependency arrows of DESIGN.md §2 hold: the pure core imports no adapter, adapters
do not import each other, and only the wiring layers import everything."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "sanctionwatch"
CORE = {"types", "errors", "text", "watchlist", "matching", "rules", "analysis", "dedupe"}
ADAPTERS = {"sources", "channels", "storage"}
WIRING = {"pipeline", "app", "scheduler", "cli", "web", "config", "evaluation"}
FORBIDDEN_IN_CORE = {"sqlalchemy", "httpx", "smtplib", "apscheduler", "feedparser", "typer"}


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_dependency_direction():
    problems = []
    for path in PKG.rglob("*.py"):
        layer = _layer(path)
        for name in _imports(path):
            top = name.split(".")[0]
            inner = name.split(".")[1] if name.startswith("sanctionwatch.") and "." in name else ""
            if layer in CORE:
                if top in FORBIDDEN_IN_CORE:
                    problems.append(f"{path.relative_to(PKG)} (core) imports {name}")
                if inner in ADAPTERS | WIRING:
                    problems.append(f"{path.relative_to(PKG)} (core) imports {name}")
            if layer in ADAPTERS and inner in (ADAPTERS - {layer}) | WIRING:
                problems.append(f"{path.relative_to(PKG)} (adapter) imports {name}")
    assert not problems, "\n".join(problems)
