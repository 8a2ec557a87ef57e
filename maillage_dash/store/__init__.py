"""The directory's home: a database (SQLite by default, PostgreSQL with ``DATABASE_URL``).

- :mod:`.models`: the tables (SQLAlchemy 2), their schema kept by the Alembic migrations of ``migrations/``;
- :mod:`.engine`: which database, opening it, bringing its schema up to date;
- :mod:`.entries`: published entries (seeding from the template files, writing back to them, editing with
  history and a version check, restoring);
- :mod:`.submissions`: what the public proposes (new entries, corrections, testimonies) and its review;
- :mod:`.users`: reviewers' accounts;
- :mod:`.live`: the in-memory directory each worker serves, rebuilt when the data version moves.
"""
