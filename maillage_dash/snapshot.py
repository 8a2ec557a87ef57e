"""A validated snapshot of the directory, so that a server restart does not validate every row again.

Reading and validating 100,000 rows takes seconds of Python per process; the validated, indexed
directory itself loads from a snapshot in well under a second. The snapshot is keyed by everything
the result depends on: the bytes of every directory file and of the geography files, the code that
reads and indexes them, and today's date (the checks of verification dates depend on it). Any change
gives a new key, hence a full validation (and its report when the data has problems: invalid data is
never snapshotted, so the server still refuses to start on it).

The snapshot is a pickle written by this application in ``MAILLAGE_CACHE_DIR`` (default: the
``.cache`` folder of the project); that folder must be writable by the application only.
Without ``MAILLAGE_CACHE_DIR`` being writable, the directory is simply loaded the usual way.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from datetime import date
from pathlib import Path

from maillage_dash.config import ROOT
from maillage_dash.directory import Directory
from maillage_dash.geo import Geography
from maillage_dash.loading import load_directory, template_files

log = logging.getLogger(__name__)
CODE = (
    "store/entries.py",
    "loading.py",
    "bulk.py",
    "rows.py",
    "phones.py",
    "directory.py",
    "schema.py",
    "geo.py",
    "text.py",
    "validation.py",
    "snapshot.py",
)
KEEP = 3  # snapshots kept per cache folder (older ones are removed)


def cache_dir(environ: dict[str, str] | os._Environ[str]) -> Path:
    return Path(environ.get("MAILLAGE_CACHE_DIR") or ROOT / ".cache")


def key(data_dir: Path, geo_dir: Path, today: date) -> str:
    """Digest of the data files, the geography files, the loading code and the date."""
    digest = hashlib.sha256(today.isoformat().encode())
    package = Path(__file__).parent
    for path in [*template_files(data_dir), *sorted(p for p in geo_dir.iterdir() if p.is_file()), *(package / c for c in CODE)]:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:32]


def db_key(source: str, version: str, geo_dir: Path, today: date) -> str:
    """Digest of a database's published state (its address and data version's stamp, « 12@moment »: a
    database seeded again reaches the same number with other rows), the geography files, the loading code
    and the date."""
    digest = hashlib.sha256(f"{source}\0{version}\0{today.isoformat()}".encode())
    package = Path(__file__).parent
    for path in [*sorted(p for p in geo_dir.iterdir() if p.is_file()), *(package / c for c in CODE)]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def read(folder: Path, digest: str) -> Directory | None:
    """The snapshot saved under ``digest``, or None (none, truncated or foreign)."""
    path = folder / f"directory-{digest}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                directory = pickle.load(fh)
            if isinstance(directory, Directory):
                return directory
        except Exception:  # a truncated or foreign file: validate again
            log.warning("snapshot %s unreadable; validating the directory again", path)
    return None


def load(data_dir: Path, geo_dir: Path, folder: Path, today: date | None = None) -> Directory:
    """The directory of ``data_dir``, from a snapshot when one matches, else validated and snapshotted."""
    today = today or date.today()
    if not data_dir.is_dir():
        return load_directory(data_dir, Geography.load(geo_dir), today)  # reports the missing folder
    digest = key(data_dir, geo_dir, today)
    found = read(folder, digest)
    if found is not None:
        return found
    directory = load_directory(data_dir, Geography.load(geo_dir), today)  # raises on invalid data
    write(folder, digest, directory, wait=True)
    return directory


def write(folder: Path, digest: str, directory: Directory, *, wait: bool = False) -> threading.Thread | None:
    """Save ``directory`` under ``digest`` (atomically); keep the newest few snapshots only.

    The directory is pickled here; the file is written by a thread, so that start-up goes on while the
    disk takes its time (58 MB at 100,000 services: 0.1–0.2 s of waiting on this machine's disk, with
    the interpreter's lock released). The thread is not a daemon: the process does not end before the
    file is complete, and the file appears whole or not at all (``os.replace``). ``wait``: return once
    it is written. Returns the writing thread (None when nothing is written)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("no snapshot written in %s: %s", folder, exc)
        return None
    enabled = gc.isenabled()
    gc.disable()  # pickling makes short-lived tuples by the million: no collection to go through them
    try:
        data = pickle.dumps(directory, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        if enabled:
            gc.enable()
    thread = threading.Thread(target=_store, args=(folder, digest, data), name="maillage-snapshot", daemon=False)
    thread.start()
    if wait:
        thread.join()
    return thread


def _store(folder: Path, digest: str, data: bytes) -> None:
    path = folder / f"directory-{digest}.pickle"
    try:
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as fh:
            fh.write(data)
        os.replace(fh.name, path)  # atomic: two workers starting together never read half a file
        for old in sorted(folder.glob("directory-*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("no snapshot written in %s: %s", folder, exc)


__all__ = ["cache_dir", "db_key", "key", "load", "read", "write"]
