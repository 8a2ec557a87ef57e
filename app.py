"""Entry point: ``python app.py`` for development, ``gunicorn app:server`` in production."""

import os

from maillage_dash.config import Settings
from maillage_dash.webapp import create_app_or_exit

settings = Settings.from_env(os.environ)
app = create_app_or_exit(settings)
server = app.server

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=settings.debug,
    )
