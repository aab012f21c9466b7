"""The import graph of the package, computed from the source: every module has a layer, no
import runs back up a layer, there is no cycle, the command line and the web page go through
the App, adapters do not know each other, and the orchestration sees only the adapters'
protocols.

Layers, lowest first:
    base         types, errors, config, text.*      (plain data, errors, pure text helpers)
    core         analysis, dedupe, matching, rules, watchlist, evaluation   (pure)
    adapters     sources, channels, storage          (the outside world)
    application  pipeline, delivery, lifecycle, services, backfill, wiring, scheduler, app
    interfaces   cli, web

Imports under `if TYPE_CHECKING:` are left out: they never run, so they order nothing.
Imports inside functions count like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "sanctionwatch"
PKG = "sanctionwatch"

LAYERS = ("base", "core", "adapters", "application", "interfaces")
# Within the application layer, the order in which its parts may use each other.
APPLICATION = ("pipeline", "delivery", "lifecycle", "services", "backfill", "wiring", "scheduler",
               "app")
ADAPTERS = ("sources", "channels", "storage")
# What the orchestration may use of an adapter package: its protocol module only.
PROTOCOLS = {"sanctionwatch.sources.base", "sanctionwatch.channels.base"}
ORCHESTRATION = ("pipeline", "delivery", "scheduler")
# The command line and the web page reach the rest only through these.
INTERFACE_MAY_USE = ("app", "config", "errors", "types", "text", "__init__")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


MODULES = _modules()


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
                (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING") or
                (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")):
            for child in node.body:
                for sub in ast.walk(child):
                    if hasattr(sub, "lineno"):
                        lines.add(sub.lineno)
    return lines


def _resolve(name: str) -> str | None:
    """The package module an imported dotted name lives in (the longest known prefix)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    is_pkg = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_pkg else module.split(".")[:-1]
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` uses the submodule; `from mod import name`, the module
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                     for a in node.names]
        else:
            continue
        for n in names:
            if n == PKG or n.startswith(PKG + "."):
                target = _resolve(n)
                if target is not None and target != module and target != PKG:
                    found.add(target)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def part(module: str) -> str:
    """The top-level part of the package a module belongs to ('storage', 'app', ...)."""
    rest = module[len(PKG) + 1:] if module != PKG else "__init__"
    return rest.split(".")[0]


def layer(module: str) -> str:
    p = part(module)
    if p in ("types", "errors", "config", "text", "__init__"):
        return "base"
    if p in ("analysis", "dedupe", "matching", "rules", "watchlist", "evaluation"):
        return "core"
    if p in ADAPTERS:
        return "adapters"
    if p in APPLICATION:
        return "application"
    if p in ("cli", "web"):
        return "interfaces"
    raise AssertionError(f"{module}: no layer; add its part {p!r} to tests/test_architecture.py")


def test_every_module_has_a_layer():
    assert len(MODULES) > 100
    for m in MODULES:
        assert layer(m) in LAYERS


def test_no_import_runs_up_a_layer():
    wrong = []
    for m, targets in GRAPH.items():
        for t in targets:
            lm, lt = LAYERS.index(layer(m)), LAYERS.index(layer(t))
            if lt > lm:
                wrong.append(f"{m} ({layer(m)}) -> {t} ({layer(t)})")
            elif lt == lm == LAYERS.index("application") and \
                    APPLICATION.index(part(t)) > APPLICATION.index(part(m)):
                wrong.append(f"{m} -> {t} (application: {' < '.join(APPLICATION)})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_cycles():
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if state.get(t) == 1:
                cycles.append(" -> ".join([*stack[stack.index(t):], t]))
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)
    assert not cycles, "\n".join(cycles)


def test_cli_and_web_go_through_the_app():
    wrong = []
    for m, targets in GRAPH.items():
        if layer(m) != "interfaces":
            continue
        for t in targets:
            if part(t) in ("cli", "web"):
                if part(t) != part(m) and not (m == "sanctionwatch.cli.web" and
                                                t.startswith("sanctionwatch.web")):
                    wrong.append(f"{m} -> {t}")
            elif part(t) not in INTERFACE_MAY_USE:
                wrong.append(f"{m} -> {t}")
    assert not wrong, "\n".join(sorted(wrong))


def test_adapters_do_not_know_each_other():
    wrong = [f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets
             if part(m) in ADAPTERS and part(t) in ADAPTERS and part(t) != part(m)]
    assert not wrong, "\n".join(sorted(wrong))


def test_orchestration_sees_only_adapter_protocols():
    wrong = [f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets
             if part(m) in ORCHESTRATION and part(t) in ("sources", "channels")
             and t not in PROTOCOLS]
    assert not wrong, "\n".join(sorted(wrong))


def test_only_the_composition_root_builds_adapters():
    """Concrete sources and channels are built in wiring.py (the App asks it for them)."""
    concrete = {m for m in MODULES if part(m) in ("sources", "channels")
                and m not in PROTOCOLS and not m.endswith((".http", ".records", ".files",
                                                           ".render", ".htmltext"))}
    users = {m for m, targets in GRAPH.items() if targets & concrete
             and part(m) not in ("sources", "channels")}
    assert users == {"sanctionwatch.wiring"}, sorted(users)


# I/O and service libraries: the pure layers never touch them.
IO_LIBRARIES = {"sqlalchemy", "httpx", "smtplib", "apscheduler", "feedparser", "typer",
                "starlette", "uvicorn", "psycopg", "prometheus_client"}


def test_pure_layers_import_no_io_library():
    wrong = []
    for m, path in MODULES.items():
        if layer(m) != "core" and part(m) not in ("types", "text"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level \
                else []
            wrong += [f"{m} -> {n}" for n in names if n.split(".")[0] in IO_LIBRARIES]
    assert not wrong, "\n".join(sorted(wrong))


def test_the_checker_sees_lazy_imports_and_skips_type_checking_ones():
    """A function-level import is an edge (App.run imports the scheduler inside the
    method); one under TYPE_CHECKING is not (the scheduler names App only in hints)."""
    assert "sanctionwatch.scheduler" in GRAPH["sanctionwatch.app"]
    assert "sanctionwatch.app" not in GRAPH["sanctionwatch.scheduler"]
    assert "sanctionwatch.storage.alerts" in GRAPH["sanctionwatch.storage.store"]
