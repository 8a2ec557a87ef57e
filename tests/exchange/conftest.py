from tests.review.conftest import db_url, live_app  # noqa: F401  (the same database-backed app, SQLite and PostgreSQL)
