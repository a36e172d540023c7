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
    root = folder.root
    print(f"course folder ready: {root}")
    print(f"""
What to do next:
  1. Load the trainee list (CSV with a header row id,first_name,last_name,email):
       alcourse trainees {root} trainees.csv
  2. Make the trainee versions of the modules (all, or name some):
       alcourse release {root}
  3. Trainees hand in MODULE.ipynb with MODULE.answers.json beside it; each hand-in goes into
       {root / "submitted"}/TRAINEE_ID/MODULE/
  4. Grade a module, then mark written answers in formgrader:
       alcourse grade {root} MODULE
       alcourse trainer {root}""")
    return 0


def _release(args: argparse.Namespace) -> int:
    from alcourse.deadlines import stamp_release
    from alcourse.grading import CourseFolder
    from alcourse.grading.lateness import read_lateness

    folder = CourseFolder.open(Path(args.dir))
    modules = known_modules(args.modules)
    print(f"releasing {len(modules)} module(s) with nbgrader (a few seconds each)…", flush=True)

    def progress(module_id: str, done: int, total: int) -> None:
        # the due date (nbgrader's, if the trainer set one) at the top of the trainee version
        due = read_lateness(folder, [module_id]).due.get(module_id)
        stamp_release(folder.root / "release" / module_id, due)
        # flushed at once: a trainer watching 9 modules should see each one arrive
        print(f"[{done}/{total}] released {folder.root / 'release' / module_id}"
              + (f" (due {due:%Y-%m-%d %H:%M} UTC)" if due else ""), flush=True)

    folder.generate(modules, progress)
    print(f"Next: give trainees the modules in {folder.root / 'release'}; when they hand in, grade with "
          f"alcourse grade {folder.root} MODULE")
    return 0


def _workspace(args: argparse.Namespace) -> int:
    from alcourse.grading import CourseFolder, copy_workspace
    from alcourse.workspace import reset_module

    folder = CourseFolder.open(Path(args.dir))
    target = Path(args.target).expanduser()
    if args.reset:
        for module_id in known_modules(args.reset):
            reset = reset_module(folder.root / "release", target, module_id)
            print(f"{module_id}: the notebook is back as released: {reset.restored}")
            if reset.backup is not None:
                print(f"  the damaged copy is kept in {reset.backup}")
            for kept in reset.kept:
                print(f"  your saved answers are kept: {kept}")
        return 0
    copied = copy_workspace(folder.root / "release", target)
    print(f"{len(copied)} new files copied to {args.target} (existing work left untouched)")
    print(f"start page: {write_start_page(target)}")
    return 0


def write_start_page(workspace: Path) -> Path:
    """The workspace's start page, listing the modules it holds (ours to rewrite, not the trainee's)."""
    from alcourse.curriculum import load_curriculum
    from alcourse.profile import START_PAGE, start_page

    cur = load_curriculum()
    modules = [(f"{m.id}/{m.notebook}", f"Module {m.number}: {m.title}")
               for m in sorted(cur.modules.values(), key=lambda m: m.number)
               if (workspace / m.id / m.notebook).exists()]
    page = workspace / START_PAGE
    page.write_text(start_page(modules), encoding="utf-8")
    return page


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("course", help="manage an nbgrader course folder")
    csub = c.add_subparsers(dest="course_command", required=True)
    ci = csub.add_parser("init", help="create a ready-to-use course folder")
    ci.add_argument("dir")
    ci.add_argument("--source", help="the source notebooks (default: notebooks/ when run in a course "
                    "project, else written from the installed package's content)")
    ci.set_defaults(func=_init)

    r = sub.add_parser("release", help="generate the trainee versions with nbgrader")
    r.add_argument("dir")
    r.add_argument("modules", nargs="*")
    r.set_defaults(func=_release)

    w = sub.add_parser("workspace", help="copy released modules to a trainee folder")
    w.add_argument("dir")
    w.add_argument("target")
    w.add_argument("--reset", nargs="+", metavar="MODULE", default=[],
                   help="put these modules' notebooks back as released (a damaged notebook is "
                        "moved to TARGET/backups/ first; answers files are kept)")
    w.set_defaults(func=_workspace)
