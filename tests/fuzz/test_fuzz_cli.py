"""Every command of ``python -m maillage_dash`` (found in its argument parser, so commands added later
are covered) run with hostile arguments: unknown codes, odd unicode, markup, missing folders, an output
path that cannot be written. The property: an exit code (0 done, 1 bad data, 2 bad arguments) and a
message, never an exception escaping, never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage_dash import cli
from maillage_dash.config import DEFAULT_DATA_DIR
from maillage_dash.geo import Geography
from tests.fuzz.strategies import CODES, FUZZ, NASTY, text

TMP = Path(__file__).parent  # replaced per session by the fixture below
SUBCOMMANDS: dict[str, argparse.ArgumentParser] = next(
    a for a in cli._parser("fr")._actions if isinstance(a, argparse._SubParsersAction)
).choices


@pytest.fixture(scope="module", autouse=True)
def fast_geography(geography, tmp_path_factory):
    """Commands load the geography on each run; reuse the session's (same files, same result)."""
    global TMP
    TMP = tmp_path_factory.mktemp("cli")
    (TMP / "vide").mkdir()
    (TMP / "fichier.csv").write_text("pas,un,modèle\n1,2,3\n", encoding="utf-8")
    original = Geography.load
    Geography.load = classmethod(lambda cls, *a, **k: geography)  # type: ignore[method-assign]
    yield
    Geography.load = original  # type: ignore[method-assign]


def output_paths() -> st.SearchStrategy[str]:
    return st.sampled_from(["out.csv", "out.xlsx", "out.json", "out.html", "absent/out.csv", "."]).map(lambda p: str(TMP / p))


def data_dirs() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(str(DEFAULT_DATA_DIR)),
        st.sampled_from(["vide", "absent", "fichier.csv"]).map(lambda p: str(TMP / p)),
    )


def value_for(action: argparse.Action, draw) -> str:
    if action.dest == "output":
        return draw(output_paths())
    if action.dest == "data_dir":
        return draw(data_dirs())
    if action.choices:
        return draw(st.one_of(st.sampled_from(list(action.choices)), st.sampled_from(list(action.choices)), text))
    if not action.option_strings:  # a place or a region code: mostly real ones, so the command gets far
        return draw(st.one_of(st.sampled_from(["Montréal", "06", "H2X", "Gaspé", "16"]), st.sampled_from(NASTY), text))
    # Mostly valid codes (so that the command reaches its output), sometimes hostile text or numbers.
    return draw(
        st.one_of(
            st.sampled_from(CODES[:30]),
            st.sampled_from(CODES[:30]),
            st.sampled_from(NASTY),
            text,
            st.integers(-(10**20), 10**20).map(str),
        )
    )


@st.composite
def argvs(draw, name: str) -> list[str]:
    parser = SUBCOMMANDS[name]
    argv: list[str] = []
    if draw(st.booleans()):
        argv += ["--lang", draw(st.sampled_from(["fr", "en"]))]
    argv.append(name)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # positional
            argv.append(value_for(action, draw))
            continue
        times = 1 if action.required else draw(st.integers(0, 3 if isinstance(action, argparse._AppendAction) else 1))
        for _ in range(times):
            flag = draw(st.sampled_from(action.option_strings))
            if action.nargs == 0:
                argv.append(flag)
            else:
                argv += [flag, value_for(action, draw)]
    return argv


def run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv, environ={})
        except SystemExit as exc:  # argparse's own usage errors exit 2 with a message
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_command_with_hostile_arguments(name):
    @FUZZ
    @given(argv=argvs(name))
    def check(argv):
        code, said = run(argv)
        assert code in (0, 1, 2), f"{argv} → exit {code}"
        assert "Traceback" not in said
        if code != 0:
            assert said.strip(), f"{argv} failed without saying why"

    check()


OUTPUT_COMMANDS = sorted(n for n, p in SUBCOMMANDS.items() if any(a.dest == "output" for a in p._actions))
POSITIONAL = {"nearby": ["Montréal"], "profile": ["06"]}


@pytest.mark.parametrize("name", OUTPUT_COMMANDS)
@pytest.mark.parametrize("where", ["absent/out.csv", ".", "fichier.csv/out.csv"])
def test_an_output_that_cannot_be_written_is_reported(name, where):
    required = [a.option_strings[0] for a in SUBCOMMANDS[name]._actions if a.required and a.option_strings and a.dest != "output"]
    extra = []
    for flag in required:  # e.g. --format for export
        action = next(a for a in SUBCOMMANDS[name]._actions if flag in a.option_strings)
        extra += [flag, list(action.choices)[0]]
    code, said = run([name, *POSITIONAL.get(name, []), *extra, "-o", str(TMP / where)])
    assert code == 1 and "Traceback" not in said
    assert "Impossible d'utiliser" in said and str(TMP / where) in said
