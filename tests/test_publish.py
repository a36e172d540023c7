"""Publishing helpers without a browser: glossary links, the lite lock file, the build skip."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from alcourse.curriculum.render import link_terms
from alcourse.publish import bookbuild
from alcourse.publish.lite import BROWSER_REQUIRES, add_to_lock, build_wheel, write_contents
from alcourse.publish.sphinxext import hub_url, lite_url
from tests.conftest import MODULE, ROOT

TERMS = ["set", "set adviser", "problem", "programmed knowledge (P)", "action learning"]


@pytest.mark.parametrize(("text", "expected"), [
    # everyday uses of a one-word term are left alone; after an article it is the term
    ("We set out the rules. Each set meets.", "We set out the rules. Each {term}`set <set>` meets."),
    # the longer term wins, then each term is linked once only
    ("The set adviser and the set adviser.", "The {term}`set adviser <set adviser>` and the set adviser."),
    # plurals link to the singular entry; a parenthesised label is not needed in the text
    ("Their problems need programmed knowledge.",
     "Their {term}`problems <problem>` need {term}`programmed knowledge <programmed knowledge (P)>`."),
    ("Two problems.", "Two problems."),
    # code, links, roles and headings stay as they are
    ("Use `the set` or [the set](x.md) or {ref}`the set <x>`.",
     "Use `the set` or [the set](x.md) or {ref}`the set <x>`."),
    ("## The set", "## The set"),
])
def test_link_terms(text, expected):
    assert link_terms(text, TERMS) == expected


def test_link_terms_leaves_fenced_blocks_and_skipped_terms_alone():
    text = "```{admonition} x\nThe set meets.\n```\nThe set meets."
    assert link_terms(text, TERMS) == "```{admonition} x\nThe set meets.\n```\nThe {term}`set <set>` meets."
    assert link_terms("The set meets.", TERMS, {"set"}) == "The set meets."


def test_launch_urls():
    assert lite_url("m01-x", "../../") == "../../lite/lab/index.html?path=m01-x/m01-x.ipynb"
    url = hub_url("https://hub.example.org/", "m01-x")
    assert url == "https://hub.example.org/hub/user-redirect/lab/tree/m01-x/m01-x.ipynb"


@pytest.mark.slow  # three wheel builds, about 12 s each on 2 cores
def test_lite_wheel_is_standard_reproducible_and_loads_only_what_the_browser_needs(tmp_path):
    wheel = build_wheel(tmp_path)
    lock = {"packages": {n: {"name": n} for n in ("pyyaml", "ipywidgets", "jinja2", "pandas", "matplotlib")}}
    add_to_lock(lock, [wheel], {})
    # the wheel's own requirements, kept to what the lock has
    assert lock["packages"]["alcourse"]["depends"] == ["ipywidgets", "jinja2", "matplotlib", "pandas",
                                                       "pyyaml"]
    add_to_lock(lock, [wheel], {}, {"alcourse": BROWSER_REQUIRES})
    entry = lock["packages"]["alcourse"]
    assert entry["file_name"] == wheel.name and entry["imports"] == ["alcourse"]
    # in the browser alcourse loads without pandas and matplotlib
    assert entry["depends"] == ["ipywidgets", "jinja2", "pyyaml"]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "alcourse/session.py" in names and not any("__pycache__" in n for n in names)
        assert "alcourse/templates/widgets/simulator.html.j2" in names
        assert len({i.date_time for i in archive.infolist()}) == 1  # SOURCE_DATE_EPOCH's, not the files'

        record = archive.read(next(n for n in names if n.endswith("RECORD"))).decode()
    assert all(line.count(",") == 2 for line in record.splitlines())
    # the standard front end leaves no build/ folder behind to leak stale files into the next wheel
    assert not (ROOT / "build").exists()
    again = build_wheel(tmp_path / "again")
    assert again.read_bytes() == wheel.read_bytes(), "the wheel is not reproducible"
    # and the identical bytes mean something: a changed template gives another wheel
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "alcourse", tree / "alcourse", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    (tree / "alcourse" / "templates" / "widgets" / "written.html.j2").write_text("{# changed #}\n")
    second = build_wheel(tmp_path / "two", tree)
    assert second.read_bytes() != wheel.read_bytes()
    with zipfile.ZipFile(second) as archive:
        assert archive.read("alcourse/templates/widgets/written.html.j2") == b"{# changed #}\n"


@pytest.mark.slow  # two nbgrader runs
def test_lite_notebooks_are_what_nbgrader_releases(curriculum, tmp_path):
    import nbformat

    from alcourse.grading.course import CourseFolder

    files = tmp_path / "files"
    written = write_contents(ROOT / "notebooks", files, tmp_path / "lite-release")
    assert sorted(p.parent.name for p in written) == sorted(curriculum.modules)
    # what a trainer's `alcourse release` hands trainees, made on its own
    (trainer,) = CourseFolder.init(tmp_path / "course", source=ROOT / "notebooks").generate([MODULE])
    lite = nbformat.read(files / MODULE / f"{MODULE}.ipynb", as_version=4)
    theirs = nbformat.read(trainer / f"{MODULE}.ipynb", as_version=4)
    assert lite.cells == theirs.cells and lite.metadata.kernelspec.name == "python"
    for module in curriculum.modules.values():
        source = (ROOT / "notebooks" / module.id / module.notebook).read_text(encoding="utf-8")
        text = (files / module.id / module.notebook).read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" in source and "BEGIN HIDDEN TESTS" not in text
        assert "BEGIN SOLUTION" not in text and "BEGIN MARK SCHEME" not in text
        for reflection in module.reflections():
            assert reflection.model_answer[:60] in source and reflection.model_answer[:60] not in text
        cells = nbformat.reads(text, as_version=4).cells
        # nbgrader's checksums: its validate and autograde can tell a changed cell
        assert any(c.metadata.get("nbgrader", {}).get("checksum") for c in cells)
        assert not list((files / module.id).glob("*.answers.json"))


def test_book_build_is_skipped_only_when_nothing_changed(tmp_path, monkeypatch):
    calls: list[str] = []
    root = tmp_path / "repo"
    for rel in ("book/modules/m.md", "book/lite/x.json", "_config.yml", "_toc.yml", "alcourse/a.py",
                "notebooks/m/m.ipynb", "book/_vendor/lite/pyodide/p.js"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("v1")

    def fake_book(*args, **kwargs):  # stands in for jupyter-book
        calls.append("book")
        (root / "_build" / "html").mkdir(parents=True, exist_ok=True)
        (root / "_build" / "html" / "index.html").write_text("<html></html>")

        class Done:
            returncode = 0
        return Done()

    def fake_lite(root: Path, output: Path, **kwargs):
        calls.append("lite")
        output.mkdir(parents=True, exist_ok=True)
        (output / "index.html").write_text("lite")

    monkeypatch.setattr(bookbuild.subprocess, "run", fake_book)
    monkeypatch.setattr(bookbuild.lite, "build", fake_lite)
    assert bookbuild.build(root) == ["book", "lite"]
    assert bookbuild.build(root) == []
    (root / "book" / "modules" / "m.md").write_text("v2")
    assert bookbuild.build(root) == ["book"]  # the lite site is kept across a page edit
    assert (root / "_build" / "html" / "lite" / "index.html").exists()
    (root / "notebooks" / "m" / "m.ipynb").write_text("v2")
    assert bookbuild.build(root) == ["lite"]
    (root / "alcourse" / "a.py").write_text("v2")
    assert bookbuild.build(root) == ["book", "lite"]
    assert bookbuild.build(root, force=True) == ["book", "lite"]
