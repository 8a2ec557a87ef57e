"""What the public sends: a proposed entry, a correction of an entry, a testimony, a request to erase
one's contact details. Each is written in its own transaction before it is acknowledged with a
reference number; a reviewer then approves (publishes), merges or rejects it with a reason."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from maillage_dash.geo import Geography
from maillage_dash.store import entries
from maillage_dash.store.engine import Store, now
from maillage_dash.store.models import Entry, Submission, Testimony
from maillage_dash.text import split_multi

KINDS = ("entry", "correction", "testimony", "erasure")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


class Decided(Exception):
    """The submission was already decided (by someone else, or a second click)."""


def new_reference() -> str:
    """« MA-7K3Q-9XFD »: short, unguessable, easy to read aloud."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"MA-{body[:4]}-{body[4:]}"


def submit(
    store: Store,
    kind: str,
    data: dict[str, Any],
    *,
    submitter_name: str = "",
    submitter_email: str = "",
    message: str = "",
    lang: str = "fr",
    target: Entry | None = None,
) -> str:
    """Keep a submission (committed before this returns) and give its reference."""
    if kind not in KINDS:
        raise ValueError(kind)
    for _ in range(5):
        reference = new_reference()
        try:
            with store.session() as session:
                session.add(
                    Submission(
                        reference=reference,
                        kind=kind,
                        target_id=target.id if target is not None else None,
                        target_version=target.version if target is not None else None,
                        data=data,
                        message=message,
                        submitter_name=submitter_name,
                        submitter_email=submitter_email,
                        lang=lang,
                        status="pending",
                        reason="",
                        reviewed_by="",
                        created_at=now(),
                    )
                )
            return reference
        except IntegrityError:  # the same reference drawn twice: draw again
            continue
    raise RuntimeError("no free reference")


def by_reference(store: Store, reference: str) -> Submission | None:
    with store.session() as session:
        return session.scalar(select(Submission).where(Submission.reference == reference.strip().upper()))


def get(store: Store, submission_id: int) -> Submission | None:
    with store.session() as session:
        return session.get(Submission, submission_id)


def pending(store: Store) -> list[Submission]:
    """Waiting for review, oldest first."""
    with store.session() as session:
        return list(session.scalars(select(Submission).where(Submission.status == "pending").order_by(Submission.created_at)))


def recent_decisions(store: Store, limit: int = 20) -> list[Submission]:
    with store.session() as session:
        query = select(Submission).where(Submission.status != "pending").order_by(Submission.reviewed_at.desc()).limit(limit)
        return list(session.scalars(query))


def counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        rows = session.execute(select(Submission.status, func.count()).group_by(Submission.status))
        return {status: int(n) for status, n in rows}


def _decide(session: Any, submission_id: int, status: str, by: str, reason: str = "", result: str | None = None) -> Submission:
    item = session.get(Submission, submission_id, with_for_update=session.bind.dialect.name != "sqlite")
    if item is None or item.status != "pending":
        raise Decided()
    item.status, item.reviewed_by, item.reviewed_at, item.reason, item.result_id = status, by, now(), reason, result
    return item


def close(store: Store, submission_id: int, *, by: str) -> None:
    """Mark a request done (an erasure carried out)."""
    with store.session() as session:
        _decide(session, submission_id, "approved", by)


def reject(store: Store, submission_id: int, *, by: str, reason: str) -> None:
    with store.session() as session:
        _decide(session, submission_id, "rejected", by, reason)


def approve_entry(
    store: Store, submission_id: int, cells: dict[str, Any], geography: Geography, *, by: str, today: date | None = None
) -> Entry:
    """Publish a proposed entry (as the reviewer edited it): entry, history, data version and the
    decision in one transaction — a crash leaves it either published or still pending."""
    with store.session() as session:
        item = _decide(session, submission_id, "approved", by)
        entry = entries.create(
            store, cells, geography, by=by, today=today, note=item.reference, submission_id=item.id, session=session
        )
        item.result_id = entry.id
        return entry


def merge_correction(
    store: Store,
    submission_id: int,
    cells: dict[str, Any],
    geography: Geography,
    *,
    by: str,
    expected_version: int,
    today: date | None = None,
) -> Entry:
    """Apply a correction (as the reviewer settled it) to the entry it targets, in one transaction."""
    with store.session() as session:
        item = _decide(session, submission_id, "merged", by)
        if not item.target_id:
            raise entries.Conflict(None)
        entry = entries.save(
            store,
            item.target_id,
            cells,
            geography,
            expected_version=expected_version,
            by=by,
            action="merge",
            today=today,
            note=item.reference,
            submission_id=item.id,
            session=session,
        )
        item.result_id = entry.id
        return entry


def publish_testimony(store: Store, submission_id: int, data: dict[str, Any], *, by: str) -> Testimony:
    """Publish a testimony (as the reviewer settled it); it shows on /temoignages at once."""
    with store.session() as session:
        item = _decide(session, submission_id, "approved", by)
        testimony = Testimony(
            id=f"web-{item.reference.lower()}",
            data=data,
            published_at=now(),
            published_by=by,
            submission_id=item.id,
            withdrawn=False,
        )
        session.add(testimony)
        item.result_id = testimony.id
        store.bump(session)
        return testimony


def withdraw_testimony(store: Store, testimony_id: str, *, by: str) -> bool:
    with store.session() as session:
        testimony = session.get(Testimony, testimony_id)
        if testimony is None or testimony.withdrawn:
            return False
        testimony.withdrawn = True
        store.bump(session)
        return True


def testimonies(store: Store) -> list[Testimony]:
    """Published (not withdrawn) testimonies, newest first."""
    with store.session() as session:
        query = select(Testimony).where(Testimony.withdrawn.is_(False)).order_by(Testimony.published_at.desc())
        return list(session.scalars(query))


def erase_contact(store: Store, submission_id: int, *, by: str) -> None:
    """Forget who sent a submission (Loi 25: on request, or when kept long enough)."""
    with store.session() as session:
        item = session.get(Submission, submission_id)
        if item is not None:
            item.submitter_name, item.submitter_email = "", ""


def purge_contacts(store: Store, *, older_than_days: int) -> int:
    """Erase the contact details of submissions decided more than ``older_than_days`` ago."""
    from datetime import timedelta

    limit = now() - timedelta(days=older_than_days)
    count = 0
    with store.session() as session:
        query = select(Submission).where(Submission.status != "pending").where(Submission.reviewed_at < limit)
        for item in session.scalars(query):
            if item.submitter_name or item.submitter_email:
                item.submitter_name, item.submitter_email = "", ""
                count += 1
    return count


@dataclass(frozen=True)
class Change:
    column: str
    before: str
    after: str


# Columns that are lists whose order says nothing (« a;b » and « b;a » are the same answer).
UNORDERED = frozenset({"types_service", "secteurs", "public_cible", "langues", "regions_desservies", "partenaires", "source"})


def _same(column: str, a: str, b: str) -> bool:
    if column in UNORDERED:
        return set(split_multi(a)) == set(split_multi(b))
    return a.strip() == b.strip()


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Field-by-field differences between two template rows (columns in template order); a list given
    in another order is not a change."""
    out = []
    for column in entries.COLUMNS:
        a, b = str(before.get(column, "") or ""), str(after.get(column, "") or "")
        if not _same(column, a, b):
            out.append(Change(column, a, b))
    return out
