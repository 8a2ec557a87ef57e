"""The filter panel every page with filters shows (regions, ages, service types, sectors, text), and
the slider's value ↔ age range codec. No logic here."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from maillage_dash import filters, schema
from maillage_dash.i18n import t
from maillage_dash.ids import ID
from maillage_dash.links import href

# Who a worker is looking for: the filter lists the people served (a service "for all genders" serves
# each gender group; ``filters.audience_match``), not the "all genders" value itself.
AUDIENCE_CHOICES: tuple[schema.Term, ...] = schema.PERSONS


def slider_value(state: filters.FilterState) -> list[int]:
    if state.age is None:
        return [schema.SLIDER_MIN, schema.SLIDER_MAX]
    low, high = state.age
    return [max(schema.SLIDER_MIN, min(low, schema.SLIDER_MAX)), min(high, schema.SLIDER_MAX)]


def age_from_slider(value: Any) -> tuple[int, int] | None:
    """Slider value → age filter; the full span means no age filter, the top means "and over"."""
    age = filters.parse_age(value)
    if age is None:
        return None
    low, high = age
    if high >= schema.SLIDER_MAX:
        high = schema.AGE_HIGHEST
    if low <= schema.SLIDER_MIN and high >= schema.AGE_HIGHEST:
        return None
    return low, high


def _dropdown_labels(lang: str) -> dict[str, str]:
    return {
        "select_all": t("dd.select_all", lang),
        "deselect_all": t("dd.deselect_all", lang),
        "selected_count": t("dd.selected_count", lang),
        "search": t("dd.search", lang),
        "clear_search": t("dd.clear_search", lang),
        "clear_selection": t("dd.clear_selection", lang),
        "no_options_found": t("dd.no_options", lang),
    }


def _vocabulary(cid: str, legend: str, terms: tuple[schema.Term, ...], values: tuple[str, ...], lang: str) -> html.Fieldset:
    """A fieldset of checkboxes for one controlled vocabulary (service types, sectors)."""
    return html.Fieldset(
        [
            html.Legend(legend, className="form-label fs-6"),
            dcc.Checklist(
                id=cid,
                options=[{"label": term.label(lang), "value": term.code} for term in terms],
                value=list(values),
                className="checklist",
                inputClassName="form-check-input me-2",
                labelClassName="form-check-label d-block",
            ),
        ],
        className="mb-3",
    )


def _basemap_option(lang: str) -> dcc.Checklist:
    return dcc.Checklist(
        id=ID.BASEMAP,
        options=[{"label": t("filters.basemap", lang), "value": "osm"}],
        value=[],
        inputClassName="form-check-input me-2",
        labelClassName="form-check-label small",
        className="mb-3",
    )


def _regions_and_ages(lang: str, state: filters.FilterState) -> list[Any]:
    marks = {a: (f"{a}+" if a == schema.SLIDER_MAX else str(a)) for a in range(schema.SLIDER_MIN, schema.SLIDER_MAX + 1, 5)}
    return [
        html.Label(t("filters.regions", lang), htmlFor=ID.REGIONS, className="form-label"),
        dcc.Dropdown(
            id=ID.REGIONS,
            options=[{"label": schema.region_label(c), "value": c} for c in schema.REGION_CODES],
            value=list(state.regions),
            multi=True,
            placeholder=t("filters.regions_placeholder", lang),
            labels=_dropdown_labels(lang),
            className="mb-1",
        ),
        html.P(t("filters.regions_help", lang), className="form-text small mb-3"),
        html.Label(t("filters.age", lang), htmlFor=ID.AGE, className="form-label", id="age-label"),
        dcc.RangeSlider(
            id=ID.AGE,
            min=schema.SLIDER_MIN,
            max=schema.SLIDER_MAX,
            step=1,
            value=slider_value(state),
            marks=marks,
            allowCross=False,
            tooltip={"placement": "bottom", "always_visible": False},
            className="mb-1",
        ),
        html.P(t("filters.age_help", lang), className="form-text small mb-3"),
    ]


def filter_panel(lang: str, state: filters.FilterState, *, basemap: bool = False) -> html.Section:
    """The shared filters. ``basemap`` adds the street-map option (pages with the services map)."""
    body = html.Div(
        [
            *_regions_and_ages(lang, state),
            _vocabulary(ID.AUDIENCE, t("filters.audience_legend", lang), AUDIENCE_CHOICES, state.audience, lang),
            _vocabulary(ID.TYPES, t("filters.types", lang), schema.SERVICE_TYPES, state.types, lang),
            _vocabulary(ID.SECTORS, t("filters.sectors", lang), schema.SECTORS, state.sectors, lang),
            html.Label(t("filters.text", lang), htmlFor=ID.TEXT, className="form-label"),
            dcc.Input(
                id=ID.TEXT,
                type="search",
                value=state.text,
                debounce=0.4,
                maxLength=filters.MAX_QUERY_LENGTH,
                placeholder=t("filters.text_placeholder", lang),
                className="form-control mb-3",
                autoComplete="off",
            ),
            dcc.Checklist(
                id=ID.ENDED,
                options=[{"label": t("filters.ended_option", lang), "value": "1"}],
                value=["1"] if state.ended else [],
                className="checklist mb-3",
                inputClassName="form-check-input me-2",
                labelClassName="form-check-label d-block",
            ),
            *([_basemap_option(lang)] if basemap else []),
            html.Button(t("filters.reset", lang), id=ID.RESET, className="btn btn-outline-secondary btn-sm w-100", n_clicks=0),
        ],
        id="filters-body",
        className="filters-body",
    )
    return html.Section(
        [
            html.Div(
                [
                    html.H2(t("filters.title", lang), className="h5 mb-0"),
                    html.Button(
                        t("filters.toggle", lang),
                        id="filters-toggle",
                        className="btn btn-outline-primary btn-sm d-lg-none",
                        n_clicks=0,
                        **{"aria-controls": "filters-body", "aria-expanded": "false"},
                    ),
                ],
                className="d-flex justify-content-between align-items-center mb-2",
            ),
            body,
        ],
        id="filters",
        className="filters card card-body collapsed-sm",
        **{"aria-label": t("filters.title", lang)},
    )


def summary(state: filters.FilterState, lang: str) -> list[Any]:
    """The line that says the view in words (« Vue : Régions : toutes … »), with the region's profile one
    click away when one region is chosen."""
    parts: list[Any] = [html.Span(t("summary.title", lang), className="fw-semibold me-1")]
    for label, value in filters.describe(state, lang):
        parts.append(html.Span([html.Span(label + " : " if lang == "fr" else label + ": "), value], className="summary-item"))
    if len(state.regions) == 1:
        code = state.regions[0]
        parts.append(
            dcc.Link(
                t("summary.profile", lang, region=schema.region_label(code)),
                href=href(f"region/{code}", state, lang),
                className="summary-item fw-semibold",
                id="summary-profile-link",
            )
        )
    return parts


def summary_box(state: filters.FilterState, lang: str, class_name: str = "filter-summary") -> html.Div:
    """The summary line's place, filled with the page (the filters' callback keeps it up to date): the
    first response's copy shows it, and nothing moves when Dash draws the page."""
    return html.Div(summary(state, lang), id=ID.SUMMARY, className=class_name, **{"aria-live": "polite"})
