"""The frame of the application: the router (URL → page inside the shell) and the callbacks every
page shares (navigation links, the address bar kept in step with the filters). It registers each
page's own callbacks."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dash import ALL, ClientsideFunction, Dash, Input, Output, dcc, html
from flask import has_request_context, request

from maillage_dash import filters
from maillage_dash.config import Settings
from maillage_dash.directory import Directory
from maillage_dash.i18n import t
from maillage_dash.ids import ID
from maillage_dash.links import href
from maillage_dash.memo import resolved
from maillage_dash.routing import PageContext
from maillage_dash.site import pages, prerender
from maillage_dash.ui.shell import shell


def not_found(lang: str, state: filters.FilterState, pathname: str | None) -> Any:
    return html.Div(
        [
            html.H1(t("notfound.title", lang), className="h3 mt-3"),
            html.P(t("notfound.text", lang, path=str(pathname or "")[:80])),
            dcc.Link(t("notfound.home", lang), href=href("", state, lang)),
        ]
    )


RECENT_SECONDS = 30.0  # a page's first response and its layout request come a moment apart
RECENT_KEPT = 32


@dataclass
class Router:
    directory: Directory
    settings: Settings
    _recent: dict[tuple[int, str, str], tuple[Any, float, Any, dict[str, Any]]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def first_render(self, pathname: str, search: str) -> tuple[Any, dict[str, Any]]:
        """:meth:`render_page` for a page's first load, which asks for the same page twice (the static
        copy in the first response, then the layout): the second one reuses the first, for the same
        version of the directory, within a few seconds."""
        current = resolved(self.directory)
        key = (id(current), pathname, search)
        now = time.monotonic()
        with self._lock:
            hit = self._recent.get(key)
            if hit is not None and hit[0] is current and now - hit[1] < RECENT_SECONDS:
                return hit[2], dict(hit[3])
        frame, store = self.render_page(pathname, search)
        with self._lock:
            self._recent[key] = (current, now, frame, dict(store))
            for old in [k for k, v in self._recent.items() if now - v[1] >= RECENT_SECONDS]:
                del self._recent[old]
            while len(self._recent) > RECENT_KEPT:  # the oldest first (insertion order)
                del self._recent[next(iter(self._recent))]
        return frame, store

    def layout(self) -> html.Div:
        """The application's layout, asked for by the browser once the scripts are loaded.

        When the request comes from one of our pages (its ``Referer``, sent by the browser for our own
        origin), that page is already in it, frame included: the first paint no longer waits for the
        router's callback, and the page's own callbacks start at once. Without a ``Referer`` the
        router renders the page as before."""
        frame: Any = None
        store: dict[str, Any] | None = None
        where: dict[str, str] = {}
        page_url = referring_page()
        if page_url is not None:
            pathname, search = page_url
            frame, store = self.first_render(pathname, search)
            # The address as the browser has it: dcc.Location then changes nothing when it mounts, and
            # the router (prevent_initial_call) waits for the first navigation. Without it, Location
            # sets the address when it mounts, which calls the router.
            where = {"pathname": pathname, "search": search}
        return html.Div(
            [
                dcc.Location(id=ID.URL, refresh=False, **where),
                dcc.Store(id=ID.STATE, data=store),
                dcc.Store(id=ID.URL_SYNC),
                html.Div(frame, id=ID.PAGE),
            ]
        )

    def static_page(self, pathname: str, search: str) -> tuple[str, str]:
        """The page as plain HTML for the first response (see :mod:`maillage_dash.site.prerender`), and
        its language."""
        frame, store = self.first_render(pathname, search)
        page, _ = pages.resolve(pathname)
        return prerender.to_html(frame, frozenset(page.embedded_stores) if page else frozenset()), store["lang"]

    def render_page(self, pathname: str | None, search: str | None) -> tuple[Any, dict[str, Any]]:
        """The page a URL names, inside the shell, and the shared state store it starts with."""
        state, lang, rejected = filters.from_query(search)
        lang = lang or self.settings.default_lang
        params = parse_qs((search or "").lstrip("?"))
        notice = t("app.rejected", lang, values=", ".join(rejected)) if rejected else None
        page, rest = pages.resolve(pathname)
        if page is None:
            body: Any = not_found(lang, state, pathname)
        else:
            body = page.render(PageContext(self.directory, self.settings, lang, state, rest, params))
        frame = shell(
            body,
            lang=lang,
            state=state,
            directory=self.directory,
            active=page.path if page else None,
            quick_exit_url=self.settings.quick_exit_url,
            pages=pages.registry(),
            notice=notice,
        )
        service = params.get("service", [None])[0]
        title = t(page.title_key, lang) if page else t("notfound.title", lang)
        store = {"query": filters.to_query(state, lang), "lang": lang, "service": service, "title": title, "fresh": True}
        return frame, store


def referring_page() -> tuple[str, str] | None:
    """Path and query of the page of ours that made this request (its ``Referer``), if any."""
    if not has_request_context() or not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host or parts.scheme not in ("http", "https"):
        return None
    return parts.path or "/", ("?" + parts.query) if parts.query else ""


def register(app: Dash, directory: Directory, settings: Settings) -> Router:
    """Wire the router, the shared client-side callbacks and every page's own callbacks."""
    router = Router(directory, settings)
    app.callback(
        Output(ID.PAGE, "children"),
        Output(ID.STATE, "data"),
        Input(ID.URL, "pathname"),
        Input(ID.URL, "search"),
        prevent_initial_call=True,  # see Router.layout
    )(router.render_page)
    app.clientside_callback(
        ClientsideFunction("maillage", "navLinks"),
        Output({"type": "nav-link", "path": ALL}, "href"),
        Input(ID.STATE, "data"),
        prevent_initial_call=True,
    )
    # Its output is a store of the app's frame, so that Dash never drops it on a page without a map.
    app.clientside_callback(ClientsideFunction("maillage", "syncAddress"), Output(ID.URL_SYNC, "data"), Input(ID.STATE, "data"))
    for page in pages.registry().values():
        if page.register is not None:
            page.register(app, directory, settings)
    return router
