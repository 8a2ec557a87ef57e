"""The directory a worker serves, kept in step with the database.

Each worker keeps the fast in-memory directory it always had (:class:`~maillage_dash.directory.Directory`:
vectorised filters, caches per object). A :class:`LiveDirectory` stands where that directory stands and
a background thread per process compares the database's data version (one row, bumped in the same
transaction as every change) with the version it serves, every ``interval`` seconds; when it moved, the
thread builds the new directory and swaps it in. Requests never wait for a rebuild: they keep reading
the previous version until the new one is ready. Within one request every read sees the same version
(it is pinned on first use).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from flask import g, has_request_context

from maillage_dash import snapshot
from maillage_dash.directory import Directory
from maillage_dash.errors import DataValidationError
from maillage_dash.geo import Geography
from maillage_dash.store import entries
from maillage_dash.store.engine import Store
from maillage_dash.validation import report

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 2.0


class LiveDirectory:
    """Reads like a :class:`Directory`; serves the newest published version of the database."""

    def __init__(
        self,
        store: Store,
        directory: Directory,
        version: int,
        *,
        interval: float = DEFAULT_INTERVAL,
        geo_dir: Path | None = None,
        cache: Path | None = None,
    ):
        self.store = store
        self.geo_dir = geo_dir
        self.cache = cache
        self.interval = interval
        self._current = directory
        self._version = version
        self._built_on = date.today()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._born_in = os.getpid()
        self._stop = threading.Event()
        self.last_error: str | None = None

    @classmethod
    def open(
        cls,
        store: Store,
        geography: Geography | Callable[[], Geography],
        *,
        interval: float = DEFAULT_INTERVAL,
        geo_dir: Path | None = None,
        cache: Path | None = None,
    ) -> LiveDirectory:
        """The published directory (from a snapshot of this data version when one exists); raises
        DataValidationError when it does not validate."""
        live = cls(store, None, -1, interval=interval, geo_dir=geo_dir, cache=cache)  # type: ignore[arg-type]
        live._current, live._version = live._build(geography, date.today())
        return live

    def _build(self, geography: Geography | Callable[[], Geography], today: date) -> tuple[Directory, int]:
        """The directory of the database's newest version, through the snapshot folder when there is one
        (then the geography, already inside the snapshot, is not even loaded)."""
        if self.cache is None or self.geo_dir is None:
            return entries.load_directory(self.store, geography() if callable(geography) else geography, today)
        source = self.store.display_url()
        stamp = self.store.data_stamp()
        found = snapshot.read(self.cache, snapshot.db_key(source, stamp, self.geo_dir, today))
        if found is not None:
            return found, int(stamp.split("@")[0])
        directory, built, built_stamp = entries.load_directory_stamped(
            self.store, geography() if callable(geography) else geography, today
        )
        snapshot.write(self.cache, snapshot.db_key(source, built_stamp, self.geo_dir, today), directory)
        return directory, built

    # ------------------------------------------------------------------ reading

    def resolved(self) -> Directory:
        """The version this request reads (the newest when outside a request)."""
        self._ensure_poller()
        if not has_request_context():
            return self._current
        pinned = g.get("_maillage_directory")
        if pinned is None:
            pinned = g._maillage_directory = self._current
        return pinned

    @property
    def version(self) -> int:
        return self._version

    @property
    def services(self) -> pd.DataFrame:
        return self.resolved().services

    @property
    def geography(self) -> Any:
        return self.resolved().geography

    @property
    def warnings(self) -> list[Any]:
        return self.resolved().warnings

    @property
    def files(self) -> list[str]:
        return self.resolved().files

    def __len__(self) -> int:
        return len(self.resolved())

    def by_id(self, service_id: str) -> pd.Series | None:
        return self.resolved().by_id(service_id)

    # ------------------------------------------------------------------ keeping up

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild when the data version moved (or the day changed: date checks depend on it); True
        when a new version is now served. A version that fails validation is not served (logged)."""
        version = self.store.data_version()
        today = date.today()
        if not force and version == self._version and today == self._built_on:
            return False
        with self._lock:
            try:
                directory, built_version = self._build(self._current.geography, today)
            except DataValidationError as exc:
                self.last_error = report(exc.problems)
                log.error("data version %s not served: it does not validate\n%s", version, self.last_error)
                self._version = version  # do not retry in a loop; the next change tries again
                return False
            self._current, self._version, self._built_on = directory, built_version, today
            self.last_error = None
        log.info("now serving data version %s (%s services)", built_version, len(directory))
        return True

    def _ensure_poller(self) -> None:
        pid = os.getpid()
        if self._pid == pid or self.interval <= 0:
            return
        with self._lock:
            if self._pid == pid:
                return
            if pid != self._born_in:  # a forked child must not share its parent's connections
                self.store.engine.dispose(close=False)
            self._pid = pid  # after a fork (gunicorn workers) each process starts its own
            thread = threading.Thread(target=self._poll, name="maillage-data-version", daemon=True)
            thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # a database that is down: keep serving what we have
                log.warning("data version check failed; still serving version %s", self._version, exc_info=True)

    def stop(self) -> None:
        self._stop.set()


__all__ = ["DEFAULT_INTERVAL", "LiveDirectory"]
