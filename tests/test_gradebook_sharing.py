"""The gradebook is in WAL mode while parallel workers write it, and one plain file after."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from alcourse.grading.gradebook import shared_by_writers


def _mode(path) -> str:  # type: ignore[no-untyped-def]
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def test_wal_during_the_run_and_a_single_file_after(tmp_path):
    path = tmp_path / "gradebook.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE t (x)")
    with shared_by_writers(f"sqlite:///{path}?timeout=5"):
        assert _mode(path) == "wal"
        with closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("INSERT INTO t VALUES (1)")
    assert _mode(path) == "delete"
    assert not (tmp_path / "gradebook.db-wal").exists()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_the_gradebook_goes_back_to_one_file_when_grading_fails(tmp_path):
    path = tmp_path / "gradebook.db"
    sqlite3.connect(path).close()
    with pytest.raises(RuntimeError), shared_by_writers(f"sqlite:///{path}"):
        raise RuntimeError("a worker failed")
    assert _mode(path) == "delete"


def test_a_program_still_reading_leaves_it_in_wal_mode_without_a_long_wait(tmp_path):
    import time

    path = tmp_path / "gradebook.db"
    sqlite3.connect(path).close()
    reader = sqlite3.connect(path)
    try:
        with shared_by_writers(f"sqlite:///{path}"):
            reader.execute("BEGIN")
            reader.execute("SELECT * FROM sqlite_master").fetchall()  # holds a read lock
            started = time.monotonic()
        assert time.monotonic() - started < 10
    finally:
        reader.close()
    assert _mode(path) == "wal"  # as safe; the next run finds it so


def test_other_databases_are_left_alone():
    with shared_by_writers("postgresql://grader@db/course"):
        pass  # no connection is attempted: nothing listens there
