"""Grading workers' gradebook engines share compiled statements, and only where that is safe."""

from __future__ import annotations

import subprocess
import sys

from alcourse.grading.shared_statements import SharedStatementsSQLiteDialect, shared_statements_url

# run in a fresh interpreter: the statement cache belongs to the dialect class of a process
SCRIPT = r"""
import sys
from nbgrader.api import Gradebook
from alcourse.grading.shared_statements import SharedStatementsSQLiteDialect as D, shared_statements_url

url = shared_statements_url("sqlite:///" + sys.argv[1])
with Gradebook(url, "c") as gb:
    gb.add_assignment("m01")
    gb.add_student("ann", first_name="Ann")
with Gradebook(url, "c") as gb:
    assert gb.find_student("ann").first_name == "Ann"
    assert gb.find_assignment("m01").name == "m01"
    first = len(D.statements)
with Gradebook(url, "c") as gb:  # a third engine: nothing new to compile
    assert gb.find_student("ann").first_name == "Ann"
    assert gb.find_assignment("m01").name == "m01"
    print(first, len(D.statements), type(gb.engine.dialect).__name__)
"""


def test_nbgrader_gradebooks_reuse_statements_compiled_by_an_earlier_engine(tmp_path):
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "gradebook.db")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    first, after, dialect = proc.stdout.split()
    assert dialect == "SharedStatementsSQLiteDialect"
    assert int(first) > 0 and int(after) == int(first), "a new engine compiled its statements again"


def test_dialects_with_different_settings_never_share_a_statement():
    a, b = SharedStatementsSQLiteDialect(), SharedStatementsSQLiteDialect()
    assert a == b and hash(a) == hash(b)
    b.server_version_info = (3, 7, 0)  # e.g. an older SQLite: compiled SQL may differ
    assert a != b
    c = SharedStatementsSQLiteDialect(paramstyle="named")
    assert a != c


def test_settings_learnt_from_the_first_connection_count_and_are_kept(tmp_path):
    from sqlalchemy import create_engine, text

    engine = create_engine(shared_statements_url(f"sqlite:///{tmp_path / 'g.db'}"))
    with engine.connect() as conn:
        conn.execute(text("select 1"))
    live, blank = engine.dialect, SharedStatementsSQLiteDialect()
    assert live.server_version_info is not None and blank.server_version_info is None
    assert live != blank, "a connected dialect's learnt settings are part of its identity"
    again = create_engine(shared_statements_url(f"sqlite:///{tmp_path / 'h.db'}"))
    with again.connect() as conn:
        conn.execute(text("select 1"))
    assert again.dialect == live and hash(again.dialect) == hash(live)


def test_only_sqlite_urls_are_changed():
    assert shared_statements_url("sqlite:////c/gradebook.db").startswith("sqlite+alcourse_shared:////c/")
    assert shared_statements_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert shared_statements_url("mysql+pymysql://u@h/db") == "mysql+pymysql://u@h/db"
