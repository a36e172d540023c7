"""The ``alcourse`` command. Every failure prints a sentence, never a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alcourse.located import LocatedError


def _cmd_build(args: argparse.Namespace) -> int:
    from alcourse.curriculum import load_curriculum
    from alcourse.curriculum.build import stale_files, write_generated

    cur = load_curriculum()
    root = Path(args.root)
    if args.check:
        stale = stale_files(cur, root)
        for rel in stale:
            print(f"{rel}: out of date with the content data; run `alcourse build`")
        return 1 if stale else 0
    for rel in write_generated(cur, root):
        print(f"wrote {rel}")
    return 0


def _modules(requested: list[str]) -> list[str]:
    from alcourse.curriculum import load_curriculum

    cur = load_curriculum()
    for module_id in requested:
        cur.module(module_id)  # raises KeyError naming the known modules
    return requested or sorted(cur.modules)


def _cmd_course_init(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder

    folder = CourseFolder.init(Path(args.dir), Path(args.source) if args.source else None)
    print(f"course folder ready: {folder.root}")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder

    folder = CourseFolder.open(Path(args.dir))
    for path in folder.generate(_modules(args.modules)):
        print(f"released {path}")
    return 0


def _cmd_workspace(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder, copy_workspace

    folder = CourseFolder.open(Path(args.dir))
    copied = copy_workspace(folder.root / "release", Path(args.target).expanduser())
    print(f"{len(copied)} new files copied to {args.target} (existing work left untouched)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="alcourse", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="regenerate notebooks, book pages and _toc.yml from the data")
    b.add_argument("--root", default=".", help="repository root (default: current folder)")
    b.add_argument("--check", action="store_true", help="only report out-of-date files")
    b.set_defaults(func=_cmd_build)

    c = sub.add_parser("course", help="manage an nbgrader course folder")
    csub = c.add_subparsers(dest="course_command", required=True)
    ci = csub.add_parser("init", help="create a ready-to-use course folder")
    ci.add_argument("dir")
    ci.add_argument("--source", help="the repository's notebooks/ folder")
    ci.set_defaults(func=_cmd_course_init)

    r = sub.add_parser("release", help="generate the trainee versions with nbgrader")
    r.add_argument("dir")
    r.add_argument("modules", nargs="*")
    r.set_defaults(func=_cmd_release)

    w = sub.add_parser("workspace", help="copy released modules to a trainee folder")
    w.add_argument("dir")
    w.add_argument("target")
    w.set_defaults(func=_cmd_workspace)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from alcourse.grading import CourseError

    try:
        return int(args.func(args))
    except (LocatedError, CourseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
