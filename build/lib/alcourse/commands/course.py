"""``alcourse course init``, ``release`` and ``workspace``: nbgrader course folders."""

from __future__ import annotations

import argparse
from pathlib import Path


def known_modules(requested: list[str]) -> list[str]:
    """The requested module ids (all if none), each checked to exist."""
    from alcourse.curriculum import load_curriculum

    cur = load_curriculum()
    for module_id in requested:
        cur.module(module_id)  # raises KeyError naming the known modules
    return requested or sorted(cur.modules)


def _init(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder

    folder = CourseFolder.init(Path(args.dir), Path(args.source) if args.source else None)
    print(f"course folder ready: {folder.root}")
    return 0


def _release(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder

    folder = CourseFolder.open(Path(args.dir))
    for path in folder.generate(known_modules(args.modules)):
        print(f"released {path}")
    return 0


def _workspace(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder, copy_workspace

    folder = CourseFolder.open(Path(args.dir))
    copied = copy_workspace(folder.root / "release", Path(args.target).expanduser())
    print(f"{len(copied)} new files copied to {args.target} (existing work left untouched)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("course", help="manage an nbgrader course folder")
    csub = c.add_subparsers(dest="course_command", required=True)
    ci = csub.add_parser("init", help="create a ready-to-use course folder")
    ci.add_argument("dir")
    ci.add_argument("--source", help="the repository's notebooks/ folder")
    ci.set_defaults(func=_init)

    r = sub.add_parser("release", help="generate the trainee versions with nbgrader")
    r.add_argument("dir")
    r.add_argument("modules", nargs="*")
    r.set_defaults(func=_release)

    w = sub.add_parser("workspace", help="copy released modules to a trainee folder")
    w.add_argument("dir")
    w.add_argument("target")
    w.set_defaults(func=_workspace)
