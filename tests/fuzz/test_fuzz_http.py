"""Hostile requests through the real Flask server (test client): every server-side callback of every
page gets well-formed requests carrying garbage values, and every route gets garbage query strings.
Never a 500, never a traceback in the answer."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage_dash import security
from maillage_dash.config import Settings
from maillage_dash.site import pages
from maillage_dash.webapp import create_app
from tests.fuzz.strategies import FUZZ, junk, queries, stores, text, values

OK = (200, 204, 400, 404)


@pytest.fixture(scope="module")
def app(shipped):
    return create_app(Settings(), directory=shipped)


def parse_id(raw: str) -> object:
    return json.loads(raw) if raw.startswith("{") else raw


def is_wildcard(component_id: object) -> bool:
    return isinstance(component_id, dict) and any(isinstance(v, list) for v in component_id.values())


def outputs_of(key: str) -> list:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        raw_id, prop = part.rsplit(".", 1)
        cid = parse_id(raw_id)
        out.append([] if is_wildcard(cid) else {"id": cid, "property": prop})
    return out if key.startswith("..") else out[0]


def server_callbacks(app) -> list[str]:
    return sorted(k for k, v in app.callback_map.items() if "callback" in v)


def body_for(app, key: str, draw) -> dict:
    spec = app.callback_map[key]

    def item(dep: dict) -> object:
        cid = parse_id(dep["id"])
        if is_wildcard(cid):
            concrete = {k: (draw(text) if isinstance(v, list) else v) for k, v in cid.items()}
            return draw(st.sampled_from([[], [{"id": concrete, "property": dep["property"], "value": draw(junk)}]]))
        value = draw(st.one_of(junk, values, stores()))
        return {"id": cid, "property": dep["property"], "value": value}

    inputs = [item(d) for d in spec["inputs"]]
    state = [item(d) for d in spec.get("state", [])]
    # As the renderer does: the changed input is named by its concrete id.
    first = inputs[0] if inputs else None
    first = first[0] if isinstance(first, list) and first else first
    changed = []
    if isinstance(first, dict):
        cid = first["id"]
        name = json.dumps(cid, separators=(",", ":"), sort_keys=True) if isinstance(cid, dict) else cid
        changed = [f"{name}.{first['property']}"]
    return {"output": key, "outputs": outputs_of(key), "inputs": inputs, "state": state, "changedPropIds": changed}


@FUZZ
@given(data=st.data())
def test_every_server_callback_survives_garbage_values(app, data):
    client = app.server.test_client()
    key = data.draw(st.sampled_from(server_callbacks(app)))
    body = body_for(app, key, data.draw)
    raw = json.dumps(body)
    response = client.post("/_dash-update-component", data=raw, content_type="application/json")
    text_ = response.get_data(as_text=True)
    # Hypothesis can draw values bigger than any request the app accepts: those get 413 with a message.
    too_big = len(raw.encode("utf-8")) > security.MAX_REQUEST_BYTES
    allowed = (*OK, 413) if too_big else OK
    assert response.status_code in allowed, f"{key}: {response.status_code} {text_[:300]}"
    assert "Traceback" not in text_


@FUZZ
@given(raw=st.one_of(junk.map(json.dumps), text, st.binary(max_size=200)))
def test_raw_garbage_posts_are_refused_cleanly(app, raw):
    response = app.server.test_client().post("/_dash-update-component", data=raw, content_type="application/json")
    assert response.status_code in (400, 413)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        # Found by the fuzz test below in a CI run: Dash raised DependencyException (a 500) for these.
        "/_dash-component-suites/%3Cscript%3Ealert%281%29%3C%2Fscript%3E?",
        "/_dash-component-suites/dash/x.js",
        "/_dash-component-suites/inconnu/x.js",
        "/geo/regions-%3Cscript%3E.geojson",
    ],
)
def test_unknown_script_paths_are_not_found_not_server_errors(app, url):
    response = app.server.test_client().get(url)
    assert response.status_code == 404, url
    assert b"Traceback" not in response.get_data()


@FUZZ
@given(data=st.data())
def test_every_route_survives_garbage_urls(app, data):
    paths = ["/" + p for p in pages.registry()] + [
        r.rule.split("<")[0] for r in app.server.url_map.iter_rules() if "GET" in r.methods and "static" not in r.rule
    ]
    path = data.draw(st.sampled_from(sorted(set(paths))))
    suffix = data.draw(st.one_of(st.just(""), text.map(lambda s: quote(s, safe=""))))
    search = data.draw(queries())
    url = path + suffix + (search if search.startswith("?") else "?" + search)
    response = app.server.test_client().get(url)
    # The review area sends a visitor to its login (303); the contribution pages of an app without a
    # database say they are not available here (503, a page made for it).
    live = path.startswith(("/revision", "/proposer", "/temoigner", "/confidentialite"))
    assert response.status_code in OK + ((303, 503) if live else ()), f"{url}: {response.status_code}"
    assert b"Traceback" not in response.get_data()  # bytes: the favicon is not text
