"""The ``alcourse`` command. A user's mistake prints a sentence and exits 2, never a traceback.

Only errors meant for the user are caught here (:class:`~alcourse.errors.UserError`, a located
error in a hand-written file, a course-folder problem); anything else is a bug, and its traceback
is what a bug report needs.

>>> main(["build", "--check"])
0
"""

from __future__ import annotations

import argparse
import importlib
import sys

from alcourse.commands import COMMAND_MODULES
from alcourse.errors import UserError
from alcourse.located import LocatedError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="alcourse", description="A Jupyter course for facilitators of action learning sets.")
    sub = p.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        # argparse has already printed the usage and the bad option; --help exits 0
        return exc.code if isinstance(exc.code, int) else 2
    from alcourse.grading import CourseError

    try:
        return int(args.func(args))
    except (LocatedError, CourseError, UserError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
