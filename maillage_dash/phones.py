"""Phone lines of a service (``telephones``): kind, number, hours, and how a card writes and dials them.

A cell holds lines separated by ``;``, each ``kind: number (details)``::

    aide: 1 888 933-9007 (24/7, provinciale); accueil: 418 725-2822 (lun-ven 8h30-16h30)

Kinds are :data:`maillage_dash.schema.PHONE_KINDS`; details, comma-separated, are ``24/7``,
``provinciale`` (a network's provincial line, not the local office's), ``texto`` (text messages),
opening hours written ``lun-ven 8h30-16h30`` (days ``lun mar mer jeu ven sam dim``), and, when a source
gives no hours but says when a number answers, a part of the day: ``jour``, ``soir``, ``nuit``,
``fin de semaine`` (a DPJ's daytime and evening numbers). Nothing here guesses: a line whose kind,
number or detail cannot be read is reported, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from maillage_dash import schema
from maillage_dash.i18n import t


def _plain(text: str) -> str:
    """Lower case without accents, punctuation kept (``fold`` turns « - » and « / » into spaces)."""

    return "".join(c for c in unicodedata.normalize("NFD", text.strip().lower()) if not unicodedata.combining(c))


DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Cards list the help line first and the tip line last.
KIND_ORDER = ("aide", "signalement_dpj", "accueil", "urgence", "police", "administration", "denonciation")
_HOURS = re.compile(
    r"^(?P<d1>[a-z]{3})(?:\s*-\s*(?P<d2>[a-z]{3}))?\s+(?P<h1>\d{1,2})h(?P<m1>\d{2})?\s*-\s*(?P<h2>\d{1,2})h(?P<m2>\d{2})?$"
)
# Parts of the day a source names without hours: the code written in the cell, and the words read as it.
PERIODS = ("jour", "soir", "nuit", "fin de semaine")
_PERIOD_WORDS = {
    **{w: "jour" for w in ("jour", "le jour", "de jour", "day", "daytime")},
    **{w: "soir" for w in ("soir", "le soir", "de soir", "evening", "evenings")},
    **{w: "nuit" for w in ("nuit", "la nuit", "de nuit", "night", "nights")},
    **{w: "fin de semaine" for w in ("fin de semaine", "la fin de semaine", "weekend", "weekends")},
}
_EXT = re.compile(r"\s*(?:poste|p\.|ext\.?|x)\s*(\d{1,6})\s*$", re.I)


@dataclass(frozen=True)
class Hours:
    first_day: int  # 0 = Monday
    last_day: int
    start: int  # minutes after midnight
    end: int  # minutes after midnight; 24h00 = 1440


@dataclass(frozen=True)
class Phone:
    kind: str
    digits: str  # "18889339007", "911"
    extension: str = ""
    always_open: bool = False  # 24/7
    provincial: bool = False  # a network's provincial line
    text_message: bool = False  # a number for text messages
    hours: tuple[Hours, ...] = ()
    periods: tuple[str, ...] = ()  # PERIODS named by the source, when it gives no hours

    @property
    def display(self) -> str:
        """« 1 888 933-9007 », « 418 725-2822 », « 911 » (the way Québec writes numbers)."""
        d = self.digits
        if len(d) == 11:
            out = f"{d[0]} {d[1:4]} {d[4:7]}-{d[7:]}"
        elif len(d) == 10:
            out = f"{d[:3]} {d[3:6]}-{d[6:]}"
        else:
            out = d
        return out + (f", poste {self.extension}" if self.extension else "")

    def display_in(self, lang: str) -> str:
        return self.display.replace(", poste ", ", ext. ") if lang == "en" else self.display

    @property
    def href(self) -> str:
        """``tel:`` (or ``sms:``) link, in the international form for full numbers."""
        scheme = "sms" if self.text_message else "tel"
        d = self.digits
        number = "+" + d if len(d) == 11 else "+1" + d if len(d) == 10 else d
        return f"{scheme}:{number}" + (f";ext={self.extension}" if self.extension and scheme == "tel" else "")

    def label(self, lang: str) -> str:
        return schema.term_label(schema.PHONE_KIND_LABELS, self.kind, lang)

    def period_texts(self, lang: str) -> list[str]:
        """« le jour », « le soir »… — in ``lang``."""
        return [t("phone.period." + p.replace(" ", "_"), lang) for p in self.periods]

    def details(self, lang: str) -> list[str]:
        """« 24/7 », « ligne provinciale », « texto », opening hours — in ``lang``."""
        out = []
        if self.always_open:
            out.append("24/7")
        out += [hours_text(h, lang) for h in self.hours]
        out += self.period_texts(lang)
        if self.text_message:
            out.append(t("phone.text", lang))
        if self.provincial:
            out.append(t("phone.provincial", lang))
        return out


def hours_text(h: Hours, lang: str) -> str:
    names = DAYS_EN if lang == "en" else DAYS
    days = names[h.first_day] if h.first_day == h.last_day else f"{names[h.first_day]}–{names[h.last_day]}"

    def clock(minutes: int) -> str:
        hh, mm = divmod(minutes, 60)
        if lang == "en":
            return f"{hh}:{mm:02d}"
        return f"{hh} h {mm:02d}" if mm else f"{hh} h"

    return f"{days} {clock(h.start)}–{clock(h.end)}"


def split_entries(text: str) -> list[str]:
    """Split on ``;`` outside parentheses, and at each line break (the forms say « one line per number »;
    a spreadsheet cell may hold several lines)."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in "\r\n":
            depth = 0
        if (ch == ";" and depth == 0) or ch in "\r\n":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _digits(number: str) -> tuple[str, str] | None:
    ext = ""
    match = _EXT.search(number)
    if match:
        ext, number = match.group(1), number[: match.start()]
    if re.search(r"[^\d\s().+\-]", number):
        return None
    digits = re.sub(r"\D", "", number)
    if len(digits) == 3 and digits.endswith("11"):  # 211, 811, 911
        return digits, ext
    if len(digits) == 10 and digits[0] not in "01":
        return digits, ext
    if len(digits) == 11 and digits[0] == "1":
        return digits, ext
    return None


def _hours(token: str) -> Hours | None:
    match = _HOURS.match(_plain(token))
    if not match or match.group("d1") not in DAYS or (match.group("d2") and match.group("d2") not in DAYS):
        return None
    first = DAYS.index(match.group("d1"))
    last = DAYS.index(match.group("d2")) if match.group("d2") else first
    start = int(match.group("h1")) * 60 + int(match.group("m1") or 0)
    end = int(match.group("h2")) * 60 + int(match.group("m2") or 0)
    if first > last or not 0 <= start < end <= 24 * 60:
        return None
    return Hours(first, last, start, end)


def parse_entry(entry: str, *, default_kind: str | None = None) -> tuple[Phone | None, tuple[str, dict[str, object]] | None]:
    """One ``kind: number (details)`` → a :class:`Phone`, or ``(None, (problem code, params))``."""
    body, details = entry, ""
    match = re.match(r"^(?P<body>[^()]*?)\s*\((?P<details>[^()]*)\)\s*$", entry)
    if match:
        body, details = match.group("body"), match.group("details")
    kind_text, sep, number = body.partition(":")
    if not sep:
        if default_kind is None:
            return None, ("phone_no_kind", {"value": entry, "kinds": ", ".join(k.code for k in schema.PHONE_KINDS)})
        kind, number = default_kind, body
    else:
        kind = schema.parse_phone_kind(kind_text) or ""
        if not kind:
            return None, ("phone_kind", {"value": kind_text.strip(), "kinds": ", ".join(k.code for k in schema.PHONE_KINDS)})
    parsed = _digits(number)
    if parsed is None:
        return None, ("phone_number", {"value": number.strip()})
    flags = {"always_open": False, "provincial": False, "text_message": False}
    hours: list[Hours] = []
    periods: list[str] = []
    for token in (x.strip() for x in details.split(",") if x.strip()):
        folded = _plain(token)
        period = _PERIOD_WORDS.get(" ".join(folded.split()))
        if folded in ("24/7", "24 h/24", "24h/24", "24 h / 24"):
            flags["always_open"] = True
        elif folded in ("provinciale", "provincial", "ligne provinciale"):
            flags["provincial"] = True
        elif folded in ("texto", "text", "sms"):
            flags["text_message"] = True
        elif period is not None:
            if period not in periods:
                periods.append(period)
        elif (h := _hours(token)) is not None:
            hours.append(h)
        else:
            return None, ("phone_detail", {"value": token})
    return Phone(kind, parsed[0], parsed[1], hours=tuple(hours), periods=tuple(periods), **flags), None


def parse_phones(text: str, *, default_kind: str | None = None) -> tuple[tuple[Phone, ...], list[tuple[str, dict[str, object]]]]:
    """Every line of a cell, in the order cards show them (help line first), and every problem."""
    phones: list[Phone] = []
    problems: list[tuple[str, dict[str, object]]] = []
    for entry in split_entries(text):
        phone, problem = parse_entry(entry, default_kind=default_kind)
        if problem:
            problems.append(problem)
        elif phone is not None:
            phones.append(phone)
    return tuple(sorted(phones, key=lambda p: (KIND_ORDER.index(p.kind), p.provincial, p.text_message))), problems


def to_text(phones: tuple[Phone, ...]) -> str:
    """The cell again, in the template's form (exports write what imports read)."""
    out = []
    for p in phones:
        details = (["24/7"] if p.always_open else []) + [
            f"{DAYS[h.first_day]}{'-' + DAYS[h.last_day] if h.last_day != h.first_day else ''} "
            f"{h.start // 60}h{h.start % 60:02d}-{h.end // 60}h{h.end % 60:02d}".replace("h00", "h")
            for h in p.hours
        ]
        details += list(p.periods) + (["texto"] if p.text_message else []) + (["provinciale"] if p.provincial else [])
        out.append(f"{p.kind}: {p.display}" + (f" ({', '.join(details)})" if details else ""))
    return "; ".join(out)


def help_lines(phones: tuple[Phone, ...]) -> tuple[Phone, ...]:
    """The lines a worker can hand to a youth for help (never a tip line or administration)."""
    return tuple(p for p in phones if p.kind in ("aide", "accueil", "signalement_dpj"))
