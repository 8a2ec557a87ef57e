"""The published entries are read in the order of their files and of their rows, whatever the database
(SQLite's rows are sorted in Python, PostgreSQL's by the database: both as ``ORDER BY file, position, id``)."""

from __future__ import annotations

import json

from maillage_dash.store import entries
from maillage_dash.store.engine import now
from maillage_dash.store.models import Entry
from tests.conftest import row

# File names whose order differs between a byte order, a case-blind order and an accent-aware one.
FILES = ["Zèbre.csv", "a.csv", "école.csv", "Ecole.csv", "10.csv", "9.csv", "b-c.csv", "b_c.csv", "B.csv"]


def test_entries_come_in_file_position_id_order(store):
    with store.session() as session:
        n = 0
        for file in FILES:
            for position in (2, 0, 1, 1):  # two entries at one position: told apart by id
                n += 1
                data = entries.clean_row(row(id=f"e{(n * 37) % 101:03d}", nom=f"Service {n} (fictif)"))
                session.add(
                    Entry(
                        id=data["id"],
                        file=file,
                        position=position,
                        data=data,
                        name=data["nom"],
                        organisation=data["organisme"],
                        region="16",
                        status="actif",
                        version=1,
                        updated_at=now(),
                        updated_by="test",
                    )
                )
        session.commit()
    with store.session() as session:
        found = entries.tables(session)
        read = [(t.file, cells[0]) for t in found for _number, cells in t.rows]
        expected = [
            (file, (data if isinstance(data, dict) else json.loads(data))["id"])
            for file, data in session.connection().exec_driver_sql(
                'SELECT "file", "data" FROM entries ORDER BY "file", "position", "id"'
            )
        ]
    assert read == expected and len(read) == 4 * len(FILES)
    assert [t.file for t in found] == list(dict.fromkeys(f for f, _ in expected))
    assert all([number for number, _ in t.rows] == list(range(2, len(t.rows) + 2)) for t in found)
