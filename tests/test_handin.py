"""Hand in without a hub: the file, the widget, and ``alcourse collect`` against a hostile corpus."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alcourse.handin.archive import Limits, Refused, make_archive, read_archive
from alcourse.handin.collect import (
    FILED,
    KEPT_OLDER,
    REFUSED,
    REPLACED,
    UNCHANGED,
    Cohort,
    collect,
    nbgrader_timestamp,
)
from alcourse.handin.manifest import Manifest, ManifestError, archive_name
from tests.conftest import MODULE, ROOT
from tests.hostile.handins import WHEN, Parts, write_corpus

OTHER = "m04-the-participant"
NOW = datetime(2024, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def parts() -> Parts:
    notebook = (ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb").read_bytes()
    answers = json.dumps({"format": "alcourse-answers/1", "module": MODULE, "exercises": {
        "m03.sort-statements": {"location-traditional": {"first": "traditional", "latest": "traditional",
                                                         "changes": 0}}}}).encode()
    return Parts(MODULE, notebook, answers)


def cohort(root: Path, roster: frozenset[str] | None = None) -> Cohort:
    from alcourse.curriculum import load_curriculum

    (root / "submitted").mkdir(parents=True, exist_ok=True)
    return Cohort(root=root, modules=frozenset(load_curriculum().modules), released=frozenset({MODULE}),
                  roster=roster, course_version="0.1.0")


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every path under ``folder`` with its content (links by target), for before/after comparisons."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = "dir" if path.is_dir() else "special"
    return found


# -- the file -------------------------------------------------------------------------------------

def test_a_hand_in_holds_the_notebook_answers_and_a_manifest_with_sha256(parts):
    data = parts.archive()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted([f"{MODULE}.ipynb", f"{MODULE}.answers.json", "manifest.json"])
        manifest = json.loads(zf.read("manifest.json"))
    import hashlib

    assert manifest["parts"][f"{MODULE}.ipynb"]["sha256"] == hashlib.sha256(parts.notebook).hexdigest()
    assert manifest["parts"][f"{MODULE}.answers.json"]["bytes"] == len(parts.answers)
    assert (manifest["module"], manifest["trainee"], manifest["name"], manifest["course"]) == (
        MODULE, "ann", "Ann Lee", "alcourse")
    assert manifest["made_at"] == "2024-03-01T09:30:00+00:00" and manifest["course_version"] == "0.1.0"
    handin = read_archive(data)
    assert (handin.notebook, handin.answers) == (parts.notebook, parts.answers)
    assert parts.archive() == data  # same inputs, same bytes
    assert archive_name(MODULE, "ann") == f"{MODULE}--ann.alcourse.zip"


def test_manifest_names_the_field_that_is_wrong():
    good = json.loads(json.dumps(Manifest(MODULE, "ann", "Ann", "0.1.0", "2024-03-01T09:30:00+00:00",
                                          ()).to_json()))
    good["parts"] = {f"{MODULE}.ipynb": {"sha256": "0" * 64, "bytes": 3}}
    assert Manifest.from_json(good).trainee == "ann"
    for field, value, message in [
        ("format", "zip/2", "manifest.json: format: 'zip/2' is not 'alcourse-handin/1'"),
        ("trainee", "Ann Lee", "manifest.json: trainee: 'Ann Lee': use the id"),
        ("made_at", "yesterday", "manifest.json: made_at: 'yesterday' is not an ISO 8601 time"),
        ("made_at", "2024-03-01T09:30:00", "manifest.json: made_at: has no time zone"),
        ("module", "../m03", "manifest.json: module: '../m03' is not a module id"),
        ("parts", {"x": {"sha256": "abc", "bytes": 1}}, "manifest.json: parts: x: sha256 is missing"),
        ("parts", {"x": {"sha256": "0" * 64, "bytes": -1}}, "manifest.json: parts: x: bytes is missing"),
        ("name", "", "manifest.json: name: missing or not a short text"),
    ]:
        with pytest.raises(ManifestError) as caught:
            Manifest.from_json({**good, field: value})
        assert str(caught.value).startswith(message), (field, str(caught.value))


def test_sizes_are_limited_by_what_the_zip_declares_and_by_what_it_inflates(parts):
    small = Limits(notebook_bytes=1000)
    with pytest.raises(Refused, match=r"declares .* over the 0 kB limit|declares \d+ kB, over the 0 kB"):
        read_archive(parts.archive(), small)
    with pytest.raises(Refused, match="over the 0 MB limit for a hand-in file"):
        read_archive(parts.archive(), Limits(archive_bytes=1000))


# -- collect: the hostile corpus -------------------------------------------------------------------

def test_hostile_corpus_gets_the_exact_outcome_for_each_file_and_writes_nothing_outside(parts, tmp_path):
    world = tmp_path / "world"
    inbox = world / "inbox"
    cases = write_corpus(inbox, parts, OTHER)
    good = {f"good-{t}.zip": parts.archive(trainee=t, name=n) for t, n in (("ann", "Ann Lee"),
                                                                          ("bob", "Bob Stone"))}
    for name, data in good.items():
        (inbox / name).write_bytes(data)
    root = world / "course"
    c = cohort(root)
    course_before = tree(root)
    outside_before = {k: v for k, v in tree(world).items() if not k.startswith("course")}

    results = collect(c, [inbox], now=NOW)

    by_file = {r.source.name: r for r in results}
    assert len(results) == len(cases) + len(good) == len(by_file)
    for case in cases:
        got = by_file[case.name]
        assert (got.outcome, got.message, got.flagged) == (
            case.outcome, case.message.replace("{root}", str(root)), case.flagged), case.name
    for name in good:
        assert by_file[name].outcome == FILED, by_file[name].line()
    assert len(cases) >= 12
    # nothing outside the course folder changed; nothing escaped into the file system
    assert {k: v for k, v in tree(world).items() if not k.startswith("course")} == outside_before
    assert not (world / "escaped.txt").exists() and not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/alcourse-absolute-escape.txt").exists()
    # only the good hand-ins were filed, complete, with nbgrader's timestamp; no staging left behind
    assert sorted(p.name for p in (root / "submitted").iterdir()) == ["ann", "bob"]
    for trainee in ("ann", "bob"):
        folder = root / "submitted" / trainee / MODULE
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [f"{MODULE}.ipynb", f"{MODULE}.answers.json", "timestamp.txt"])
        assert (folder / f"{MODULE}.ipynb").read_bytes() == parts.notebook
        assert (folder / "timestamp.txt").read_text() == "2024-03-01 09:30:00.000000 UTC\n"
    assert list((root / ".alcourse" / "handin" / "staging").iterdir()) == []
    assert set(tree(root)) - set(course_before) - {
        ".alcourse", ".alcourse/handin", ".alcourse/handin/staging", ".alcourse/handin/trainees.json"} == {
        p for p in tree(root) if p.startswith("submitted/")}

    # collecting the same files again changes nothing
    after = tree(root)
    again = collect(c, [inbox], now=NOW)
    assert tree(root) == after
    assert [r.outcome for r in again if r.source.name in good] == [UNCHANGED, UNCHANGED]
    assert [(r.source.name, r.outcome, r.message) for r in again if r.source.name not in good] == [
        (r.source.name, r.outcome, r.message) for r in results if r.source.name not in good]


def test_nbgrader_reads_the_timestamp_as_the_time_the_file_was_made():
    from nbgrader.utils import parse_utc

    stamp = nbgrader_timestamp(WHEN)
    assert parse_utc(stamp) == WHEN.replace(tzinfo=None)


def test_newer_replaces_older_which_is_kept_dated_in_any_order(parts, tmp_path):
    early, late = WHEN, WHEN + timedelta(days=1)
    files = {"early.zip": parts.archive(when=early, notebook=parts.notebook.replace(b"Module", b"Modul")),
             "late.zip": parts.archive(when=late)}
    ends = []
    for order in (["early.zip", "late.zip"], ["late.zip", "early.zip"]):
        inbox, root = tmp_path / "-".join(order) / "inbox", tmp_path / "-".join(order) / "course"
        inbox.mkdir(parents=True)
        for name, data in files.items():
            (inbox / name).write_bytes(data)
        results = collect(cohort(root), [inbox / n for n in order], now=NOW)
        first, second = results
        if order[0] == "early.zip":
            assert (first.outcome, second.outcome) == (FILED, REPLACED)
            assert "the older hand-in (2024-03-01 09:30:00.000000 UTC) is kept in" in second.message
        else:
            assert (first.outcome, second.outcome) == (FILED, KEPT_OLDER)
            assert ("older than the hand-in filed (2024-03-02 09:30:00.000000 UTC), which stays"
                    in second.message)
        filed = root / "submitted" / "ann" / MODULE
        kept = root / "replaced" / "ann" / MODULE / "2024-03-01T09-30-00Z"
        assert (filed / f"{MODULE}.ipynb").read_bytes() == parts.notebook
        assert b"Modul" in (kept / f"{MODULE}.ipynb").read_bytes()
        assert (kept / "timestamp.txt").read_text() == "2024-03-01 09:30:00.000000 UTC\n"
        ends.append({k: v for k, v in tree(root).items() if not k.startswith(".alcourse")})
        again = collect(cohort(root), [inbox / n for n in order], now=NOW)
        assert [r.outcome for r in again] == [UNCHANGED, UNCHANGED]
    assert ends[0] == ends[1]


def test_one_id_used_by_two_people_is_flagged_and_not_filed(parts, tmp_path):
    inbox, root = tmp_path / "inbox", tmp_path / "course"
    inbox.mkdir()
    (inbox / "a.zip").write_bytes(parts.archive(trainee="ann", name="Ann Lee"))
    (inbox / "b.zip").write_bytes(parts.archive(trainee="ann", name="Bob Stone",
                                                when=WHEN + timedelta(hours=1)))
    (inbox / "c.zip").write_bytes(parts.archive(trainee="ann", name="  ann   LEE ",
                                                when=WHEN + timedelta(hours=2),
                                                notebook=parts.notebook.replace(b"Module", b"Modul")))
    a, b, c = collect(cohort(root), [inbox], now=NOW)
    assert a.outcome == FILED
    assert (b.outcome, b.flagged) == (REFUSED, True)
    assert b.message == ("trainee id 'ann' was used by 'Ann Lee' and now by 'Bob Stone': two people may be "
                         "sharing one id. Not filed: check with both, then give one of them a new id")
    assert "[FLAGGED for the trainer]" in b.line()
    assert c.outcome == REPLACED  # the same person, spelt differently
    assert b"Bob" not in (root / "submitted" / "ann" / MODULE / f"{MODULE}.ipynb").read_bytes()


def test_a_roster_refuses_unknown_trainees(parts, tmp_path):
    inbox, root = tmp_path / "inbox", tmp_path / "course"
    inbox.mkdir()
    (inbox / "ann.zip").write_bytes(parts.archive(trainee="ann"))
    (inbox / "zed.zip").write_bytes(parts.archive(trainee="zed", name="Zed"))
    ann, zed = collect(cohort(root, roster=frozenset({"ann", "bob"})), [inbox], now=NOW)
    assert ann.outcome == FILED
    assert (zed.outcome, zed.message) == (REFUSED, (
        "unknown trainee 'zed': not in this cohort's roster (nbgrader's student table). If they are new, "
        "add them (nbgrader db student add zed) and collect again; otherwise ask them for the id you gave "
        "them"))


def test_roster_is_nbgraders_student_table(tmp_path):
    from nbgrader.api import Gradebook

    from alcourse.handin.collect import roster

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    assert roster(tmp_path, url, "alcourse") is None
    assert not (tmp_path / "gradebook.db").exists()  # looking did not create a gradebook
    with Gradebook(url, "alcourse") as gb:
        gb.update_or_create_student("ann")
    assert roster(tmp_path, url, "alcourse") == frozenset({"ann"})


def test_collect_command_prints_one_line_per_file_and_a_summary(parts, tmp_path, capsys):
    from alcourse.cli import main
    from alcourse.grading import CourseFolder

    folder = CourseFolder.init(tmp_path / "course")
    (folder.root / "release" / MODULE).mkdir(parents=True)  # released (the notebook is not needed here)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ann.zip").write_bytes(parts.archive())
    (inbox / "empty.zip").write_bytes(b"")
    (inbox / "notes.txt").write_text("not a hand-in")
    assert main(["collect", str(folder.root), str(inbox)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"{inbox / 'ann.zip'}: filed: ann / {MODULE}, made 2024-03-01T09:30:00+00:00 by "
                      f"Ann Lee: filed in {folder.root / 'submitted' / 'ann' / MODULE}")
    assert out[1].startswith(f"{inbox / 'empty.zip'}: refused: an empty file (0 bytes)")
    assert "2 file(s): 1 filed, 1 refused." in out
    assert main(["collect", str(folder.root), str(inbox / "ann.zip")]) == 0
    assert ": unchanged: " in capsys.readouterr().out


# -- the widget -----------------------------------------------------------------------------------

def test_widget_makes_one_file_beside_the_notebook_and_a_download_link(parts, tmp_path):
    import base64
    import re

    from alcourse.widgets.handin import HandInWidget

    (tmp_path / f"{MODULE}.ipynb").write_bytes(parts.notebook)
    widget = HandInWidget(MODULE, tmp_path, f"{MODULE}.ipynb", f"{MODULE}.answers.json",
                          todo=lambda: ["'Sort the statements': 3 of 8 not answered"], clock=lambda: WHEN)
    assert not list(tmp_path.glob("*.zip"))  # showing the step writes nothing (it runs when grading)
    for trainee, name, says in [("", "Ann", "type the name or id your trainer gave you first"),
                                ("Ann Lee", "Ann", "no spaces"), ("ann", " ", "type your name too")]:
        widget.trainee.value, widget.person.value = trainee, name
        widget.make()
        assert "Not made yet" in widget.result.value and says in widget.result.value
        assert not list(tmp_path.glob("*.zip"))
    widget.trainee.value, widget.person.value = "ann", "Ann  Lee"
    widget.make()
    saved = tmp_path / f"{MODULE}--ann.alcourse.zip"
    handin = read_archive(saved.read_bytes())
    assert (handin.manifest.trainee, handin.manifest.name, handin.manifest.made_at) == (
        "ann", "Ann Lee", "2024-03-01T09:30:00+00:00")
    assert json.loads(handin.answers) == {"format": "alcourse-answers/1", "module": MODULE, "exercises": {}}
    href = re.search(r'download="([^"]+)" href="data:application/zip;base64,([^"]+)"', widget.result.value)
    assert href.group(1) == saved.name and base64.b64decode(href.group(2)) == saved.read_bytes()
    assert "upload it to the place they named" in widget.result.value
    assert "3 of 8 not answered" in widget.result.value
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_every_module_ends_with_the_hand_in_step(curriculum):
    import nbformat

    for module in curriculum.modules.values():
        nb = nbformat.read(ROOT / "notebooks" / module.id / module.notebook, 4)
        assert nb.cells[-2].source.startswith("## Hand in"), module.id
        assert nb.cells[-1].source == "course.hand_in()" and nb.cells[-1].metadata["nbgrader"]["locked"]
        assert f"`{module.id}--YOUR-ID.alcourse.zip`" in nb.cells[-2].source


def test_a_hand_in_made_by_the_session_is_accepted_by_collect(parts, tmp_path):
    from alcourse.session import Session

    work = tmp_path / "work"
    work.mkdir()
    (work / f"{MODULE}.ipynb").write_bytes(parts.notebook)
    session = Session(MODULE, folder=work)
    session.store.record("m03.sort-statements", "location-traditional", "traditional")
    widget = session.hand_in()
    widget.trainee.value, widget.person.value = "t017", "Tess Ode"
    widget.make()
    [result] = collect(cohort(tmp_path / "course"), [work], now=datetime.now(UTC) + timedelta(minutes=1))
    assert result.outcome == FILED, result.line()
    filed = tmp_path / "course" / "submitted" / "t017" / MODULE / f"{MODULE}.answers.json"
    assert filed.read_bytes() == (work / f"{MODULE}.answers.json").read_bytes()


def test_make_archive_and_read_archive_agree_on_the_module_named_inside(parts):
    _manifest, data = make_archive(MODULE, "ann", "Ann", parts.notebook, parts.answers, WHEN, "0.1.0")
    assert read_archive(data).manifest.module == MODULE


# -- programme view and Moodle export, from known states ----------------------------------------------

def _rows():
    from alcourse.grading.cohort import CohortRow
    from alcourse.grading.status import State

    return [CohortRow("ann", MODULE, State("graded", "", 24.0, 32.0), None, seconds_late=60.0),
            CohortRow("ann", OTHER, State("failed", "m04.ipynb is an empty file (0 bytes)", None, 20.0),
                      None),
            CohortRow("bob", MODULE, State("needs manual grading", "1 written answer to mark", 10.0, 32.0),
                      None),
            CohortRow("bob", OTHER, State("not submitted", "no submission"), None),
            CohortRow("<b>cy</b>", MODULE, State("not graded yet", "run alcourse grade"), None),
            CohortRow("<b>cy</b>", OTHER, State("graded", "", 20.0, 20.0), None)]


def test_programme_view_shows_every_state_with_score_and_late(curriculum, tmp_path):
    from alcourse.grading import CourseFolder
    from alcourse.grading.programme import programme_view, render

    folder = CourseFolder(tmp_path)
    view = programme_view(folder, curriculum, rows=_rows(), now=NOW)
    cells = {t.student: [c.label for c in t.cells] for t in view.trainees}
    assert cells == {"<b>cy</b>": ["handed in", "graded"], "ann": ["graded, late", "failed"],
                     "bob": ["needs marking", "missing"]}
    ann = next(t for t in view.trainees if t.student == "ann")
    assert (ann.cells[0].score, ann.cells[1].score, ann.cells[1].why) == (
        "24 / 32 (75%)", "", "m04.ipynb is an empty file (0 bytes)")
    assert ann.done == 1
    assert view.counts[MODULE] == {"graded": 1, "needs marking": 1, "handed in": 1, "failed": 0,
                                   "missing": 0, "late": 1}
    page = render(view)
    assert "&lt;b&gt;cy&lt;/b&gt;" in page and "<b>cy</b>" not in page  # autoescaped
    assert '<th scope="row">ann</th>' in page and "graded, late" in page and "Competences" not in page


def test_moodle_csv_exports_a_grade_only_when_graded_never_a_zero(curriculum):
    import csv as csv_module

    from alcourse.grading.moodle import moodle_csv

    rows = list(csv_module.reader(io.StringIO(moodle_csv(_rows(), curriculum))))
    m3, m4 = curriculum.module(MODULE), curriculum.module(OTHER)
    assert rows[0] == ["Username", f"{m3.number}. {m3.title} ({MODULE}, out of 32)",
                       f"Feedback: {m3.number}. {m3.title}", f"{m4.number}. {m4.title} ({OTHER}, out of 20)",
                       f"Feedback: {m4.number}. {m4.title}"]
    assert rows[1:] == [
        ["<b>cy</b>", "-", "handed in", "20", "graded"],
        ["ann", "24", "graded", "-", "failed: m04.ipynb is an empty file (0 bytes)"],
        ["bob", "-", "needs marking: 1 written answer to mark", "-", "missing"]]
