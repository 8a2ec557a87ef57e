"""A problem found in the directory files, and its plain-language message in fr or en."""

from __future__ import annotations

from dataclasses import dataclass, field

from maillage_dash.i18n import count_text, t

# Problems that list the accepted values: which parameter, and which of schema's vocabularies.
_VOCABULARIES = {
    "unknown_type": ("known", "SERVICE_TYPES"),
    "unknown_sector": ("known", "SECTORS"),
    "unknown_audience": ("known", "AUDIENCES"),
    "unknown_status": ("known", "STATUSES"),
    "unknown_method": ("known", "CONFIRMATION_METHODS"),
    "phone_kind": ("kinds", "PHONE_KINDS"),
}

# Problems that do not stop a file or a stored entry from loading (rows written before the rule came
# stay readable, and are listed), yet refuse what a person saves now (store.entries).
WARNING_CODES = frozenset({"source_needed"})


def severity_of(code: str) -> str:
    return "warning" if code in WARNING_CODES else "error"


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (file, row, column) and what it is (a code with parameters).

    ``row`` is the spreadsheet row number (the header is row 1); ``None`` for the whole file.
    """

    file: str
    row: int | None
    column: str | None
    code: str
    params: dict[str, object] = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str = "fr") -> str:
        count = self.params.get("count")  # a message in plural forms agrees with its ``count``
        params = dict(self.params)
        if self.code in _VOCABULARIES:  # the accepted values in the reader's words, each with its code
            param, name = _VOCABULARIES[self.code]
            from maillage_dash import schema  # (schema's terms; imported here: schema is a foundation too)

            params[param] = ", ".join(f"{term.label(lang)} ({term.code})" for term in getattr(schema, name))
        key = self.code
        if key == "unknown_municipality" and params.get("suggestions") in ("", "—"):
            key = "unknown_municipality_alone"  # no close name to offer: not « Noms proches : — »
        return t(f"problem.{key}", lang, plural=count if isinstance(count, int | float) else None, **params)

    def where(self, lang: str = "fr") -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(t("problem.row", lang, row=self.row))
        if self.column:
            parts.append(t("problem.column", lang, column=self.column))
        return ", ".join(parts)

    def render(self, lang: str = "fr") -> str:
        tag = t("problem.error" if self.severity == "error" else "problem.warning", lang)
        return (
            f"{tag} — {self.where(lang)} : {self.message(lang)}"
            if lang == "fr"
            else (f"{tag} — {self.where(lang)}: {self.message(lang)}")
        )


def _position(p: Problem) -> tuple[str, int]:
    return (p.file, p.row or 0)


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def report(problems: list[Problem], lang: str = "fr") -> str:
    """The full report printed by ``validate`` and at a refused start-up."""
    errors = errors_of(problems)
    warnings = [p for p in problems if p.severity != "error"]
    ordered = sorted(errors, key=_position) + sorted(warnings, key=_position)
    lines = [p.render(lang) for p in ordered]
    errors_text, warnings_text = count_text("count.errors", len(errors), lang), count_text("count.warnings", len(warnings), lang)
    lines.append(t("problem.summary", lang, errors=errors_text, warnings=warnings_text))
    return "\n".join(lines)
