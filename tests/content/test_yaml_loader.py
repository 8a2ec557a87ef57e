"""Issue 15, cold start: the front matter composed once then constructed from that tree
(``content.reader.parse_front``) gives what composing it then loading it again gave: the same data,
the same line of each field and item, the same problem for a text the loader refuses.

Front matters written here are made up for the tests; they never ship."""

from __future__ import annotations

import random
from pathlib import Path

import frontmatter
import pytest
import yaml

from maillage_dash.config import ROOT
from maillage_dash.content import model as content
from maillage_dash.content import reader

DATA = ROOT / "data"

TRICKY = [
    "",
    "titre: Un titre\n",
    "titre: 'guillemets'\ndate: 2026-01-15\nrevu_le: 2026-13-45\n",
    "liste:\n  - a\n  - b: 1\n  -\n  - 'c'\n",
    "n: 012\nf: 1_000.5\nb: yes\nnul: ~\ninf: .inf\nhex: 0x1F\n",
    "double: 1\ndouble: 2\n",
    "ancre: &a [1, 2]\nrenvoi: *a\n",
    "texte: |\n  ligne 1\n  ligne 2\nplie: >\n  un\n  deux\n",
    "accents: « éàç » — ’\nemoji: 🙂\n",
    "tab:\tvaleur\n",
    "cle: [non fermé\n",
    "cle: valeur: deux points\n",
    "- une\n- liste\n",
    "contrôle: \x07\n",
    "bom: \ufeffx\n",
    "cle: 'non fermé\n",
    "? complexe\n: valeur\n",
    "{a: 1, b: [x, y]}\n",
    "cle: !!python/object:os.system ls\n",
    "cle: !etiquette valeur\n",
    "%YAML 1.1\n---\ncle: v\n",
    "a: 1\n---\nb: 2\n",
    "a:\n  - 1\n - 2\n",
    "  indent: 1\n autre: 2\n",
]


def _lines(node) -> list[tuple]:
    """What the reader takes from the node tree: each key's line, each list item's line."""
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        return [type(node).__name__, node.start_mark.line]
    out = []
    for key_node, value_node in node.value:
        items = [item.start_mark.line for item in value_node.value] if isinstance(value_node, yaml.SequenceNode) else None
        out.append((str(key_node.value), key_node.start_mark.line, items))
    return out


def _outcome(front: str) -> tuple:
    try:
        node, data = reader.parse_front(front)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return ("error", mark.line if mark else None, getattr(exc, "problem", None) or str(exc).splitlines()[0])
    return ("ok", data, [type(v) for v in data.values()] if isinstance(data, dict) else type(data), _lines(node))


def _before(front: str) -> tuple:
    """The way before: compose with the pure-Python loader, then load the text again."""
    try:
        node = yaml.compose(front, Loader=reader._Loader)
        data = frontmatter.YAMLHandler().load(front, Loader=reader._Loader)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return ("error", mark.line if mark else None, getattr(exc, "problem", None) or str(exc).splitlines()[0])
    return ("ok", data, [type(v) for v in data.values()] if isinstance(data, dict) else type(data), _lines(node))


def _fronts() -> list[tuple[str, str]]:
    out = []
    for path in sorted(DATA.glob("*/*.md")):
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        handler = frontmatter.YAMLHandler()
        if handler.detect(text):
            out.append((str(path.relative_to(DATA)), handler.split(text)[0]))
    return out


def test_every_shipped_front_matter_reads_the_same():
    fronts = _fronts()
    assert len(fronts) >= 20
    for name, front in fronts:
        expected = _before(front)
        assert _outcome(front) == expected, name


@pytest.mark.parametrize("front", TRICKY)
def test_tricky_front_matters_read_or_fail_the_same(front):
    assert _outcome(front) == _before(front)


def test_damaged_shipped_front_matters_read_or_fail_the_same():
    """The shipped front matters with a few characters put in or replaced at random (seeded)."""
    pieces = [":", "-", " ", "\t", "'", '"', "#", "&", "*", "!", "|", ">", "\n", "[", "]", "{", "}", ",", "?", "%"]
    pieces += ["@", "\x00", "\x85", "\u2028", "\ufeff", "\\", "é", "...", "---", "\n  ", "\n- ", ": "]
    fronts = [front for _, front in _fronts()]
    rng = random.Random(15)
    for _ in range(400):
        front = rng.choice(fronts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(front) + 1)
            front = front[:at] + rng.choice(pieces) + front[at + rng.choice([0, 0, 1]) :]
        assert _outcome(front) == _before(front), front


def test_the_whole_content_loads_the_same(monkeypatch, tmp_path: Path):
    """Shipped content and a broken copy (test data): the same documents and problems either way."""
    for part in ("fiches", "pratiques", "temoignages"):
        for path in (DATA / part).glob("*.md"):
            (tmp_path / part).mkdir(exist_ok=True)
            (tmp_path / part / path.name).write_bytes(path.read_bytes())
    broken = sorted((tmp_path / "pratiques").glob("*.md"))
    broken[0].write_text(broken[0].read_text(encoding="utf-8").replace(":", " ::", 2), encoding="utf-8")
    broken[1].write_text("---\ntitre: [non fermé\n---\nTexte de test.\n", encoding="utf-8")

    def twice(front: str) -> tuple:
        return yaml.compose(front, Loader=reader._Loader), frontmatter.YAMLHandler().load(front, Loader=reader._Loader)

    for root in (DATA, tmp_path):
        once = content.load(root)
        monkeypatch.setattr(reader, "parse_front", twice)
        before = content.load(root)
        monkeypatch.undo()
        assert once == before
        assert once.problems == before.problems
    assert any(p.code == "yaml" for p in content.load(tmp_path).problems)
