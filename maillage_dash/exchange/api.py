"""The read-only API, in the shape of HSDS 3.0's OpenAPI (``hsds_schema/openapi.json``):
``/api/`` (what this is), ``/api/services`` (a page of compiled services), ``/api/services/{id}``,
``/api/organizations``, ``/api/organizations/{id}``, ``/api/openapi.json``; and the same selection as files:
``/api/export/hsds.json`` and ``/api/export/hsds-tabulaire.zip``.

Query parameters: HSDS's ``search``, ``page``, ``per_page`` (≤ 200), ``organization_id``, ``taxonomy_term_id``,
and the dashboard's own filters with the same names as its addresses (``region``, ``age``, ``type``,
``secteur``, ``public``, ``q``, ``termines``), and ``lang`` (``fr``/``en``: names of terms and the
description when an English one exists). A value that cannot be read is a 400 naming it. The same
confidentiality as every export: no street address and no point finer than the municipality for a shelter.
Rate-limited per address.
"""

from __future__ import annotations

import io
import math
import zipfile
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from maillage_dash import filters
from maillage_dash.exchange import hsds, package
from maillage_dash.exchange.package import SCHEMAS
from maillage_dash.i18n import norm_lang, t
from maillage_dash.memo import per_object
from maillage_dash.text import fold
from maillage_dash.ui.server import ServerContext

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50


@per_object
def _by_uuid(directory: Any) -> dict[str, str]:
    """HSDS service id → Maillage id, once per published version."""
    return {hsds.uid("service", str(i)): str(i) for i in directory.services.index}


def _error(status: int, code: str, lang: str, plural: int | None = None, **params: Any) -> Response:
    response = jsonify({"error": code, "message": t(f"api.{code}", lang, plural=plural, **params)})
    response.status_code = status
    return response


def _paging(lang: str) -> tuple[int, int] | Response:
    try:
        page = int(request.args.get("page", "1"))
        per_page = int(request.args.get("per_page", str(DEFAULT_PER_PAGE)))
    except ValueError:
        return _error(400, "bad_paging", lang, limit=MAX_PER_PAGE)
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return _error(400, "bad_paging", lang, limit=MAX_PER_PAGE)
    return page, per_page


def _page(items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not chunk,
        "contents": chunk,
    }


def blueprint(ctx: ServerContext) -> Blueprint:
    bp = Blueprint("api", __name__, url_prefix="/api")
    limit = ctx.limiter.limit(ctx.api_limit)

    def lang_now() -> str:
        return norm_lang(request.args.get("lang") or ctx.settings.default_lang)

    def selected() -> Any:
        """The services the query selects (the dashboard's filters + HSDS's), or an error response."""
        lang = lang_now()
        query = {
            k: v
            for k, v in request.args.items(multi=True)
            if k in ("region", "age", "type", "secteur", "public", "q", "termines")
        }
        if request.args.get("search"):
            query["q"] = request.args["search"]
        state, _lang, rejected = filters.from_query(urlencode(query, doseq=True))
        if rejected:
            return _error(400, "bad_filter", lang, plural=len(rejected), values=", ".join(rejected))
        frame = filters.apply(ctx.directory, state)
        organisation = request.args.get("organization_id")
        if organisation:
            frame = frame[[hsds.uid("organization", fold(str(o))) == organisation for o in frame["organisme"]]]
        term = request.args.get("taxonomy_term_id")
        if term:
            if term not in _term_index():
                return _error(400, "bad_term", lang, value=term[:60])
            kind, code = _term_index()[term]
            column = hsds.CODED[kind]
            frame = frame[[code in (v if isinstance(v, tuple) else (v,)) for v in frame[column]]]
        return frame

    @bp.route("/")
    @limit
    def root() -> Response:
        lang = lang_now()
        return jsonify(
            {
                "version": hsds.HSDS_VERSION,
                "profile": "https://docs.openreferral.org/en/latest/hsds/",
                "openapi_url": "/api/openapi.json",
                "description": t("api.about", lang),
                "services_url": "/api/services",
                "organizations_url": "/api/organizations",
            }
        )

    @bp.route("/openapi.json")
    @limit
    def openapi() -> Response:
        return Response((SCHEMAS / "openapi.json").read_bytes(), mimetype="application/json")

    @bp.route("/services")
    @limit
    def services() -> Response:
        lang = lang_now()
        paging = _paging(lang)
        if isinstance(paging, Response):
            return paging
        frame = selected()
        if isinstance(frame, Response):
            return frame
        page, per_page = paging
        body = _page(list(range(len(frame))), page, per_page)
        rows = frame.iloc[(page - 1) * per_page : page * per_page]
        body["contents"] = [hsds.service_object(rec, lang) for _, rec in rows.iterrows()]
        return jsonify(body)

    @bp.route("/services/<service_id>")
    @limit
    def service(service_id: str) -> Response:
        lang = lang_now()
        key = _by_uuid(ctx.directory).get(service_id, service_id)
        rec = ctx.directory.by_id(key)
        if rec is None:
            return _error(404, "not_found", lang, value=service_id[:80])
        return jsonify(hsds.service_object(rec, lang))

    @bp.route("/organizations")
    @limit
    def organizations() -> Response:
        lang = lang_now()
        paging = _paging(lang)
        if isinstance(paging, Response):
            return paging
        frame = selected()
        if isinstance(frame, Response):
            return frame
        orgs = [_organization(o, lang) for o in hsds.organizations(frame)]
        return jsonify(_page(orgs, *paging))

    @bp.route("/organizations/<organization_id>")
    @limit
    def organization(organization_id: str) -> Response:
        lang = lang_now()
        for org in hsds.organizations(ctx.directory.services):
            if org["id"] == organization_id:
                return jsonify(_organization(org, lang))
        return _error(404, "not_found", lang, value=organization_id[:80])

    @bp.route("/export/hsds.json")
    @limit
    def download_json() -> Response:
        frame = selected()
        if isinstance(frame, Response):
            return frame
        response = Response(package.json_bytes(frame, lang_now()), mimetype="application/json")
        response.headers["Content-Disposition"] = 'attachment; filename="maillage-hsds.json"'
        return response

    @bp.route("/export/hsds-tabulaire.zip")
    @limit
    def download_tabular() -> Response:
        frame = selected()
        if isinstance(frame, Response):
            return frame
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, body in package.tabular_files(frame, lang_now()).items():
                archive.writestr(name, body)
        response = Response(buffer.getvalue(), mimetype="application/zip")
        response.headers["Content-Disposition"] = 'attachment; filename="maillage-hsds-tabulaire.zip"'
        return response

    return bp


def _organization(org: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "id": org["id"],
        "name": org["name"],
        "description": hsds.org_description(org["name"], lang),
        "services": [{"id": sid} for sid in org["services"]],
    }


@cache
def _term_index() -> dict[str, tuple[str, str]]:
    from maillage_dash import schema

    out = {}
    for kind, terms in (("type", schema.SERVICE_TYPES), ("secteur", schema.SECTORS), ("public", schema.AUDIENCES)):
        for term in terms:
            out[hsds.uid("term", kind, term.code)] = (kind, term.code)
    return out
