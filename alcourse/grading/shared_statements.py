"""A grading worker's gradebook engines share their compiled SQL statements.

nbgrader opens a new ``Gradebook``, and so a new SQLAlchemy engine, eight times for each
submission it autogrades (five in ``Autograde.init_assignment``, then ``OverwriteKernelspec``,
``OverwriteCells`` and ``SaveAutoGrades``). SQLAlchemy caches compiled statements per engine,
so each new engine compiles nbgrader's queries again: about a quarter of a grading worker's
CPU time went on that.

The worker's gradebook URL names the dialect below (``sqlite+alcourse_shared://``), added
through SQLAlchemy's public dialect registry (:func:`shared_statements_url` registers it).
It is SQLite's own pysqlite dialect with two additions:

- every engine made with it uses one statement cache of its class, through the documented
  ``compiled_cache`` execution option, set in the dialect's ``engine_created`` hook;
- two instances compare equal when every setting they hold is equal, because SQLAlchemy keys
  a cached statement by its dialect (and a statement compiled for one SQLite connection of a
  process is the same for another with the same settings).

The cache belongs to the class because nbgrader receives only a URL string from its
configuration: there is no object of ours to carry it to the engines nbgrader makes.
Nothing of nbgrader or SQLAlchemy is replaced.

>>> shared_statements_url("sqlite:////course/gradebook.db?timeout=120")
'sqlite+alcourse_shared:////course/gradebook.db?timeout=120'
>>> shared_statements_url("postgresql://grader@db/course")
'postgresql://grader@db/course'
"""

from __future__ import annotations

import types
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Engine

DRIVER = "alcourse_shared"
# nbgrader runs a few dozen distinct statements; the bound only guards against a surprise
MAX_STATEMENTS = 2000
_SETTING_TYPES = (bool, int, float, str, tuple, type(None), types.ModuleType)


class SharedStatementsSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, with compiled statements shared by every engine of the process."""

    supports_statement_cache = True
    statements: dict[Any, Any] = {}  # shared on purpose: see the module docstring

    @classmethod
    def engine_created(cls, engine: Engine) -> None:
        if len(cls.statements) > MAX_STATEMENTS:
            cls.statements.clear()
        engine.update_execution_options(compiled_cache=cls.statements)

    def initialize(self, connection: Any) -> None:
        super().initialize(connection)
        # what the first connection taught the dialect is all it learns: its settings are fixed
        # from here, and every statement looked up in the cache hashes them (thousands of times
        # a submission)
        self._fixed_settings = self._settings()

    def _settings(self) -> tuple[tuple[str, Any], ...]:
        fixed: tuple[tuple[str, Any], ...] | None = vars(self).get("_fixed_settings")
        if fixed is not None:
            return fixed
        # everything a compiled statement could depend on: flags, versions, paramstyle, the
        # driver module (learnt from the server when the first connection is made)
        return tuple(sorted((name, value) for name, value in vars(self).items()
                            if name != "_fixed_settings" and isinstance(value, _SETTING_TYPES)))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, SharedStatementsSQLiteDialect)
        return self._settings() == other._settings()

    def __hash__(self) -> int:
        return hash(self._settings())


def shared_statements_url(db_url: str) -> str:
    """``db_url`` naming the shared-statements dialect if it is an SQLite file, else unchanged."""
    if not db_url.startswith(("sqlite:", "sqlite+pysqlite:")):
        return db_url
    registry.register(f"sqlite.{DRIVER}", __name__, SharedStatementsSQLiteDialect.__name__)
    return f"sqlite+{DRIVER}:" + db_url.split(":", 1)[1]
