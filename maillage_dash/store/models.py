"""The tables. Their schema in a database is made by the migrations (``migrations/versions``), never by
``create_all``; ``tests/store/test_migrations.py`` checks the two agree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DataVersion(Base):
    """One row whose ``value`` is bumped in the same transaction as every change of published data
    (entries, testimonies): workers compare it to the version they serve and rebuild when it moved."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Entry(Base):
    """A published entry of the directory: the template row as typed (``data``: column → text) plus the
    few fields lists need, kept in step with it. ``version`` is checked on every save (no lost update)."""

    __tablename__ = "entries"
    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    file: Mapped[str] = mapped_column(String(160), nullable=False)  # template file it is written back to
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # order inside that file
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    name: Mapped[str] = mapped_column(String(400), nullable=False)
    organisation: Mapped[str] = mapped_column(String(400), nullable=False)
    region: Mapped[str] = mapped_column(String(2), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    confirmed_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(320), nullable=False)

    __mapper_args__ = {"version_id_col": version}


class EntryHistory(Base):
    """Every version an entry has had: who, when, what (before and after), why."""

    __tablename__ = "entry_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(160), nullable=False, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)  # seed, create, edit, merge, confirm, end, restore
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    changed_by: Mapped[str] = mapped_column(String(320), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    submission_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Submission(Base):
    """What someone proposed: a new entry, a correction of an entry, or a testimony. The submitter's
    name and email are for follow-up only: reviewers see them, nothing else does."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # entry, correction, testimony
    target_id: Mapped[str | None] = mapped_column(String(160), nullable=True)
    target_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    submitter_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    submitter_email: Mapped[str] = mapped_column(String(320), nullable=False, default="")
    lang: Mapped[str] = mapped_column(String(2), nullable=False, default="fr")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewed_by: Mapped[str] = mapped_column(String(320), nullable=False, default="")
    result_id: Mapped[str | None] = mapped_column(String(160), nullable=True)


class Testimony(Base):
    """A published testimony (its text and the fields of ``data/temoignages/README.md``)."""

    __tablename__ = "testimonies"
    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    published_by: Mapped[str] = mapped_column(String(320), nullable=False)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), nullable=True)
    withdrawn: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class User(Base):
    """A reviewer (coordinator). Passwords are stored hashed (scrypt, by Werkzeug)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(400), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
