"""Alembic's entry point: runs the migrations of ``versions/`` on the connection Maillage gives
(``Store.upgrade``), or on ``sqlalchemy.url`` when called as ``alembic upgrade head``."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from maillage_dash.store.engine import database_url
from maillage_dash.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or database_url(os.environ)
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()
