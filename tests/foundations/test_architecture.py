"""The house's rules, checked on the source (every import, including those inside functions):
foundations never import a capability or the top floor; a capability never imports the top floor and
uses another capability's model only; a model never imports Dash; a command line never imports a page;
no import loops; no ``importlib`` to hide an import."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[2] / "maillage_dash"
CAPABILITIES = {"map", "nearby", "coverage", "network", "content", "audit", "contribute", "review", "exchange"}
TOP = {"site", "webapp", "cli", "__main__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every ``maillage_dash`` module this file imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("maillage_dash")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maillage_dash"):
            assert node.level == 0, f"{path}: relative import (write maillage_dash.…)"
            for alias in node.names:  # "from maillage_dash.map import figures" imports the module map.figures
                sub = f"{node.module}.{alias.name}"
                found.add(sub if _exists(sub) else node.module)
    return found


def _exists(module: str) -> bool:
    base = PACKAGE.parent / Path(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def floor(module: str) -> tuple[str, str]:
    """("foundation"|"capability"|"top", the capability or top-level name)."""
    first = module.split(".")[1] if "." in module else ""
    if first in TOP:
        return "top", first
    if first in CAPABILITIES:
        return "capability", first
    return "foundation", first


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        g.add_node(name)
        for target in imports_of(path):
            if target != name:
                g.add_edge(name, target)
    return g


def test_no_import_loops():
    g = graph()
    # A package's __init__ importing nothing is not a loop; every real cycle is listed.
    cycles = [c for c in nx.simple_cycles(g) if len(c) > 1]
    assert cycles == [], cycles


def test_imports_point_down_only():
    bad = []
    for source, target in graph().edges:
        (src_floor, src_name), (dst_floor, dst_name) = floor(source), floor(target)
        if target == "maillage_dash":
            continue
        if src_floor == "foundation" and dst_floor != "foundation":
            bad.append((source, target, "a foundation imports a capability or the top floor"))
        if src_floor == "capability" and dst_floor == "top":
            bad.append((source, target, "a capability imports the top floor"))
        if src_floor == dst_floor == "capability" and src_name != dst_name and not target.endswith((".model", ".figures")):
            bad.append((source, target, "a capability uses another one's page, layout or callbacks"))
    assert bad == [], bad


def test_models_and_command_lines_stay_on_their_floor():
    bad = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        tree_text = path.read_text(encoding="utf-8")
        if name.endswith(".model") or name.split(".")[-1] in {"schema", "filters", "loading", "rows", "directory", "phones"}:
            if any(line.strip().startswith(("import dash", "from dash")) for line in tree_text.splitlines()):
                bad.append((name, "a model imports Dash"))
        if name.endswith(".cli") or name == "maillage_dash.cli":
            if any("page" in target.split(".")[-1] for target in imports_of(path)):
                bad.append((name, "a command line imports a page"))
        if "importlib" in tree_text:
            bad.append((name, "importlib hides an import"))
    assert bad == [], bad


def test_the_rules_catch_a_loop_and_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a made-up package with a loop and an upward import is caught."""
    fake = tmp_path / "maillage_dash"
    (fake / "map").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "map" / "__init__.py").write_text("")
    (fake / "schema.py").write_text("from maillage_dash.map import model\n")
    (fake / "map" / "model.py").write_text("from maillage_dash import schema\nimport dash\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    g = graph()
    assert [c for c in nx.simple_cycles(g) if len(c) > 1]
    assert ("maillage_dash.schema", "maillage_dash.map.model") in g.edges
    assert floor("maillage_dash.schema")[0] == "foundation" and floor("maillage_dash.map.model")[0] == "capability"
