"""The hostile corpus, graded in parallel and sandboxed alongside ordinary submissions.

Each hostile submission must end in its exact state with its exact message;
the ordinary ones must get their right scores; the gradebook must stay sound;
and nothing a submission tried may have left a file outside its scratch folder,
reached another submission, the source notebooks or the network.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

from alcourse.grading import CourseFolder
from alcourse.grading.cohort import collect, export_csv
from alcourse.grading.engine import grade_module
from alcourse.grading.options import GradeOptions, Limits
from alcourse.grading.sandbox import IsolationUnavailable, check_isolation
from alcourse.session import check_grade_id
from tests.conftest import MODULE, ROOT
from tests.hostile.corpus import (
    CELL_TIMEOUT,
    CPU_SECONDS,
    MEMORY_MB,
    SUBMISSION_SECONDS,
    World,
    build_cases,
    build_world,
    good_cases,
)

pytestmark = pytest.mark.slow
CASES = build_cases()
GOOD = good_cases()


def require_isolation() -> None:
    # never skip silently: `make test` installs bubblewrap and runs as root
    try:
        check_isolation()
    except IsolationUnavailable as exc:
        raise RuntimeError(f"the hostile corpus needs kernel isolation: {exc}") from None


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, curriculum):
    require_isolation()
    root = tmp_path_factory.mktemp("hostile") / "course"
    folder = CourseFolder.init(root)
    folder.generate([MODULE])
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connections.append(server.accept())
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    source_dir = ROOT / "notebooks" / MODULE
    escape = [root / "escape.txt", root / "submitted" / "escape.txt", source_dir / "escape.txt",
              Path(tempfile.gettempdir()) / f"alcourse-escape-{uuid.uuid4().hex}.txt",
              Path("/escape.txt"), Path("../escape.txt"), Path("../../escape.txt")]
    world = World(MODULE, root / "release" / MODULE / f"{MODULE}.ipynb", root,
                  source_dir / f"{MODULE}.ipynb", curriculum.module_exercises(MODULE), escape,
                  server.getsockname()[1])
    build_world(world, CASES + GOOD)
    before = {"course": snapshot(root), "source": snapshot(source_dir)}
    options = GradeOptions(jobs=2, cell_timeout=CELL_TIMEOUT, submission_seconds=SUBMISSION_SECONDS,
                           limits=Limits(cpu_seconds=CPU_SECONDS, memory_bytes=MEMORY_MB * 1024**2))
    outcomes = grade_module(folder, MODULE, MODULE, [c.student for c in CASES + GOOD], options)
    stop.set()
    server.close()
    yield {"folder": folder, "world": world, "outcomes": {o.student: o for o in outcomes},
           "connections": connections, "before": before, "escape": escape}


@pytest.mark.parametrize("case", CASES + GOOD, ids=lambda c: c.student)
def test_exact_state_and_message(hostile, case):
    world, outcome = hostile["world"], hostile["outcomes"][case.student]
    assert outcome.state == case.state, (case.kind, outcome)
    assert outcome.why == case.why(world), case.kind
    for note in case.notes(world):
        assert note in outcome.notes, (case.kind, outcome.notes)
    expected = case.score(world)
    if expected is not None:
        assert outcome.score == pytest.approx(expected), case.kind


def test_good_submissions_get_the_checkers_scores_cell_by_cell(hostile, curriculum):
    from nbgrader.api import Gradebook

    world = hostile["world"]
    with Gradebook(hostile["folder"].db_url, hostile["folder"].course_id) as gb:
        for student, answers in (("h-good-full", "model"), ("h-good-blank", "none"),
                                 ("h-good-wrong", "wrong"), ("h-deleted-cell", "model"),
                                 ("h-edited-cell", "wrong")):
            nb = gb.find_submission_notebook(MODULE, MODULE, student)
            scores = {g.name: g.auto_score for g in nb.grades}
            for ex in world.exercises:
                want = ex.max_points if answers == "model" else 0.0
                assert scores[check_grade_id(ex.id)] == pytest.approx(want), (student, ex.id)


def test_gradebook_passes_sqlite_integrity_check(hostile):
    with sqlite3.connect(hostile["folder"].root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_nothing_was_written_outside_the_scratch_folders(hostile):
    root = hostile["folder"].root
    for target in hostile["escape"]:
        # relative targets point into the sandbox's parent folders, which the probes show blocked
        assert not target.is_absolute() or not target.exists(), target
    after = snapshot(root)
    before = hostile["before"]["course"]
    allowed = ("autograded/", ".alcourse/", "gradebook.db", "feedback/")
    changed = {p for p in set(after) | set(before) if after.get(p) != before.get(p)}
    assert {p for p in changed if not p.startswith(allowed)} == set()
    assert snapshot(ROOT / "notebooks" / MODULE) == hostile["before"]["source"]


def _outputs(hostile, student: str) -> str:
    path = hostile["folder"].root / "autograded" / student / MODULE / f"{MODULE}.ipynb"
    nb = json.loads(path.read_text())
    texts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            texts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(texts)


def test_probes_of_files_other_submissions_and_network_were_blocked(hostile):
    written = _outputs(hostile, "h-write-outside")
    assert "REACHED" not in written
    assert written.count("blocked") == len(hostile["escape"])
    read = _outputs(hostile, "h-read-other")
    assert "REACHED" not in read and read.count("blocked") == 4
    assert "uid 65534 gid 65534" in read  # the kernel ran as nobody
    siblings = next(line for line in read.splitlines() if line.startswith("siblings"))
    assert siblings.count("'") == 2 and "h-read-other" in siblings  # only its own scratch folder
    network = _outputs(hostile, "h-network")
    assert "CONNECTED" not in network and network.count("blocked") == 3
    assert hostile["connections"] == []


def test_a_50_mb_print_is_cut_in_the_graded_notebook(hostile):
    path = hostile["folder"].root / "autograded" / "h-big-output" / MODULE / f"{MODULE}.ipynb"
    assert path.stat().st_size < 500_000
    assert "[alcourse: output cut here." in path.read_text()


def test_failures_export_as_failed_without_a_score(hostile):
    rows = list(csv.DictReader(io.StringIO(export_csv(collect(hostile["folder"])))))
    by_student = {r["student"]: r for r in rows}
    for case in CASES:
        row = by_student[case.student]
        assert row["status"] == case.state
        if case.state == "failed":
            assert row["score"] == "" and row["percent"] == "", case.student
            assert row["why"] == case.why(hostile["world"])


def test_a_failed_submission_has_no_score_in_the_gradebook(hostile):
    # formgrader lists and averages whatever the gradebook holds: a failure must not be a 0 there
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(hostile["folder"].db_url, hostile["folder"].course_id) as gb:
        for case in CASES:
            if case.state == "failed":
                assert hostile["outcomes"][case.student].score is None, case.student
                with pytest.raises(MissingEntry):
                    gb.find_submission(MODULE, case.student)


def test_the_trainee_is_told_what_to_send_never_how_to_grade(hostile):
    for case in CASES:
        outcome = hostile["outcomes"][case.student]
        if case.state in ("failed", "needs attention"):
            words = outcome.for_trainee
            assert words, case.student
            for trainer_only in ("Error", "alcourse", "grade again", "ask your trainer", "char ", "/"):
                assert trainer_only not in words, (case.student, words)
            assert "ask your trainer" not in outcome.why, (case.student, outcome.why)


def test_a_notebook_without_its_answers_file_needs_attention_everywhere(hostile):
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(export_csv(collect(hostile["folder"]))))}
    row = rows["h-no-answers"]
    assert row["status"] == "needs attention"
    assert row["why"].startswith("no answers file: every widget answer is missing")
    assert row["percent"] == ""
