"""alcourse grades through nbgrader's and nbclient's public configuration and hooks: it never
reassigns an attribute of a library (module, class or function), at import or while grading."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import MODULE, ROOT

# every library module and class whose attributes alcourse's grading could be tempted to replace
WATCHED = textwrap.dedent('''
    import importlib, inspect, json, sys
    NAMES = ["nbgrader.api", "nbgrader.apps.api", "nbgrader.converters.autograde",
             "nbgrader.converters.base", "nbgrader.preprocessors", "nbgrader.preprocessors.execute",
             "nbgrader.preprocessors.overwritecells",
             "nbgrader.preprocessors.saveautogrades", "nbclient.client", "nbclient.util",
             "nbconvert.preprocessors.execute", "nbconvert.exporters.exporter", "jupyter_client.manager",
             "jupyter_client.provisioning.local_provisioner", "sqlalchemy", "sqlalchemy.engine", "traitlets"]
    modules = {n: importlib.import_module(n) for n in NAMES}

    def snapshot():
        seen = {}
        for name, module in modules.items():
            seen[name] = dict(vars(module))
            for attr, value in vars(module).items():
                if inspect.isclass(value) and value.__module__.split(".")[0] == name.split(".")[0]:
                    seen[f"{value.__module__}.{value.__qualname__}"] = dict(vars(value))
        return seen

    def changed(before, after):
        found = []
        for owner, attrs in before.items():
            now = after.get(owner, {})
            for attr in set(attrs) | set(now):
                old, new = attrs.get(attr), now.get(attr)
                # a library's own lazy caches are data; what matters is behaviour: functions,
                # descriptors, classes (SQLAlchemy compiles its _generated_* visitors on first use)
                if (callable(old) or callable(new) or hasattr(old, "__get__") or hasattr(new, "__get__")) \\
                        and old is not new and not attr.startswith(("__", "_generated_")) \\
                        and not inspect.ismodule(new):
                    found.append(f"{owner}.{attr}")
        return sorted(found)
''')

GRADE_TWO = WATCHED + textwrap.dedent('''
    before = snapshot()
    from pathlib import Path
    from alcourse.curriculum import load_curriculum
    from alcourse.grading import CourseFolder
    from alcourse.grading.gradebook import shared_by_writers
    from alcourse.grading.options import GradeOptions, WorkerConfig
    from alcourse.grading.synthetic import make_cohort
    from alcourse.grading.worker import GradingWorker
    from alcourse.grading import zygote

    folder = CourseFolder.init(Path(sys.argv[1]) / "course")
    folder.generate([sys.argv[2]])
    make_cohort(folder.root, sys.argv[2], 2, load_curriculum(), seed=3)
    with shared_by_writers(folder.db_url):
        worker = GradingWorker(WorkerConfig(str(folder.root), sys.argv[2], sys.argv[2],
                                            GradeOptions(jobs=1, isolation=False)))
        students = sorted(p.name for p in (folder.root / "submitted").iterdir())
        worker.prefetch(students[1])
        states = [worker.safe_grade(s).state for s in students]
        worker.close()
    zygote.parse_content()  # what the kernel fork-server does before it forks kernels
    rebound = sorted(name for name, module in list(sys.modules.items())
                     if name.startswith("alcourse") and "load_curriculum" in vars(module)
                     and vars(module)["load_curriculum"] is not load_curriculum)
    print(json.dumps({"changed": changed(before, snapshot()), "states": states, "rebound": rebound}))
''')


@pytest.mark.slow
def test_grading_reassigns_no_library_attribute(tmp_path):
    proc = subprocess.run([sys.executable, "-c", GRADE_TWO, str(tmp_path), MODULE], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["states"] and all(s != "failed" for s in result["states"]), (result, proc.stderr[-3000:])
    assert result["changed"] == [], f"library attributes replaced while grading: {result['changed']}"
    assert result["rebound"] == []


def test_the_snapshot_sees_a_replaced_library_function():
    """The check above can fail: replacing nbgrader's create_engine is seen."""
    script = WATCHED + textwrap.dedent('''
        before = snapshot()
        import nbgrader.api
        nbgrader.api.create_engine = lambda *a, **k: None
        from nbgrader.api import Gradebook
        Gradebook.close = lambda self: None
        print(json.dumps(changed(before, snapshot())))
    ''')
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert json.loads(proc.stdout) == ["nbgrader.api.Gradebook.close", "nbgrader.api.create_engine"]


def _library_names(tree: ast.Module) -> set[str]:
    """Names a module binds to what it imports from outside alcourse."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names
                      if not a.name.startswith("alcourse")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and \
                not (node.module or "").startswith("alcourse"):
            names |= {a.asname or a.name for a in node.names}
    return names


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def library_assignments(source: str) -> list[int]:
    """Lines that assign an attribute of an imported library object (``lib.x = …``, ``setattr(lib, …)``)
    or walk ``sys.modules`` (the way to reach into every module that imported a function).

    >>> library_assignments("import nbgrader.api\\nnbgrader.api.create_engine = f\\n")
    [2]
    >>> library_assignments("from nbclient import NotebookClient\\nsetattr(NotebookClient, 'x', 1)\\n")
    [2]
    >>> library_assignments("import os\\nos.environ['PATH'] = 'x'\\nself.x = 1\\n")
    []
    """
    tree = ast.parse(source)
    names = _library_names(tree) - {"os", "sys"}  # os.environ[...] = … sets a variable, not code
    lines = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            targets = [ast.Attribute(value=node.args[0], attr="?")] if node.args else []
        for target in targets:
            if isinstance(target, ast.Attribute) and _root(target) in names:
                lines.append(node.lineno)
        if isinstance(node, ast.Attribute) and node.attr == "modules" and _root(node) == "sys":
            lines.append(node.lineno)
    return sorted(set(lines))


def test_no_module_of_alcourse_assigns_a_library_attribute():
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / "alcourse").rglob("*.py"))
             for line in library_assignments(path.read_text(encoding="utf-8"))]
    assert found == [], f"use the library's configuration or hooks (or say why none fits): {found}"


def test_no_grading_class_overrides_a_private_method_of_a_library():
    """Subclassing is a hook only through public methods: a private one (``_async_pre_start_kernel``
    was one) can change or vanish in any release of the library."""
    import importlib
    import inspect
    import pkgutil

    import alcourse.grading

    overrides = []
    for info in pkgutil.walk_packages(alcourse.grading.__path__, "alcourse.grading."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != info.name:
                continue
            library = [base for base in cls.__mro__[1:]
                       if not base.__module__.startswith(("alcourse", "builtins"))]
            for name in vars(cls):
                method = vars(cls)[name]
                if inspect.isfunction(method) and name.startswith("_") and not name.startswith("__") \
                        and any(name in vars(b) for b in library):
                    overrides.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert overrides == [], overrides
