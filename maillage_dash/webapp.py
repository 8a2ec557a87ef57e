"""The Dash application factory."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc  # noqa: F401  (registers the component suite)
from dash import Dash
from flask import Response, abort, request
from sqlalchemy.exc import SQLAlchemyError

from maillage_dash import basemap, filters, security, snapshot
from maillage_dash.config import ROOT, Settings
from maillage_dash.directory import Directory
from maillage_dash.errors import DataValidationError
from maillage_dash.geo import Geography
from maillage_dash.map import static_map
from maillage_dash.site import bundles, router
from maillage_dash.site import live as live_site
from maillage_dash.store import setup
from maillage_dash.store.engine import Store
from maillage_dash.store.live import LiveDirectory
from maillage_dash.validation import report

INDEX = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>Maillage — carte des services</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <noscript>Maillage a besoin de JavaScript. / Maillage needs JavaScript.</noscript>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def create_app(
    settings: Settings,
    directory: Directory | None = None,
    *,
    store: Store | None = None,
    environ: Mapping[str, str] | None = None,
) -> Dash:
    """A ready Dash app.

    Without ``directory``: the directory lives in the database (``DATABASE_URL``, else the embedded
    SQLite file), brought up to date and seeded from ``settings.data_dir`` when empty; every worker
    follows its publications. With ``directory`` (tests, benchmarks of a fixed directory): that
    directory, read-only, and the contribution and review pages only when a ``store`` is given too.
    """
    environ = os.environ if environ is None else environ
    served: Directory | LiveDirectory
    if directory is None:
        store = store or Store.from_env(environ)
        geo_dir = Path(settings.geo_dir)
        geography = functools.cache(lambda: Geography.load(geo_dir))  # a restart from a snapshot never loads it
        setup.prepare(store, Path(settings.data_dir), geography, environ)
        served = LiveDirectory.open(
            store,
            geography,
            interval=settings.reload_seconds,
            geo_dir=Path(settings.geo_dir),
            cache=snapshot.cache_dir(environ),
        )
    else:
        served = directory
    app = bundles.MaillageDash(
        __name__,
        title="Maillage",
        assets_folder=str(ROOT / "assets"),
        serve_locally=True,
        update_title=None,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Carte des services contre l'exploitation sexuelle des jeunes au Québec"},
        ],
        index_string=INDEX,
    )
    # The page is rendered from the URL (in the layout when the browser says which page asks, else by
    # the router's callback), so its ids appear after start-up.
    app.config.suppress_callback_exceptions = True
    site_router = router.register(app, served, settings)  # type: ignore[arg-type]  (a live directory reads like one)
    app.layout = site_router.layout
    app.prerender = site_router.static_page  # the page as plain HTML in the first response
    app.regions_url = lambda: basemap.regions_geojson_url(served)  # type: ignore[arg-type]  (preloaded)
    _serve_regions(app, served)  # type: ignore[arg-type]
    live_site.install(app, settings, store, served, environ)  # proposals, testimonies, review
    bundles.install(app, bundles.cache_dir(environ))  # Maillage's plotly.js, precompressed scripts
    security.install(app, settings, environ)  # headers, compression, errors: after every callback
    return app


def _serve_regions(app: Dash, directory: Directory) -> None:
    """The regions' outlines that every map fetches once (basemap.REGIONS_ROUTE), cached for good."""

    def regions(digest: str) -> Response:
        current, body = basemap.regions_geojson_file(directory)
        if digest != current:
            abort(404)
        response = Response(body, mimetype="application/geo+json")
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    app.server.add_url_rule(basemap.REGIONS_ROUTE, endpoint="regions_geojson", view_func=regions)

    made: dict[tuple[Any, str], bytes] = {}

    def picture() -> Response:
        """The map's regions as a picture, for the page's first seconds (maillage_dash/map/static_map.py)."""
        query = request.query_string.decode("utf-8", "replace")
        state, lang, _rejected = filters.from_query(query)
        key = (getattr(directory, "version", None), query)
        body = made.get(key)
        if body is None:
            body = static_map.svg(directory, state, lang or "fr").encode("utf-8")
            if len(made) >= 64:  # a few views at a time; made-up queries cannot fill the memory
                made.clear()
            made[key] = body
        response = Response(body, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=86400"  # the data version is in the address
        return response

    app.server.add_url_rule(static_map.ROUTE, endpoint="static_map", view_func=picture)


def create_app_or_exit(settings: Settings) -> Dash:
    """Like :func:`create_app`, but a data problem stops start-up with the full report."""
    try:
        return create_app(settings)
    except DataValidationError as exc:
        print(report(exc.problems, settings.default_lang), file=sys.stderr)
        print(
            "Maillage ne démarre pas : corrigez les données ci-dessus. / Maillage did not start: fix the data above.",
            file=sys.stderr,
        )
        raise SystemExit(1) from exc
    except SQLAlchemyError as exc:  # a database that cannot be reached or brought up to date
        print(
            "Maillage ne démarre pas : la base de données ne répond pas ou ne peut être mise à jour. "
            "Vérifiez DATABASE_URL et que le serveur de base de données tourne. / Maillage did not start: the "
            "database does not answer or cannot be brought up to date. Check DATABASE_URL and that the database "
            f"server is running.\n{type(exc).__name__}: {str(exc).splitlines()[0][:300]}",
            file=sys.stderr,
        )
        raise SystemExit(1) from exc
