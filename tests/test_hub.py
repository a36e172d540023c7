"""A cohort on a real JupyterHub: real Unix users, nbgrader's exchange made private, the grader service.

One hub for the whole module (tests/hubfixture.py); the tests run in order: a trainee
fetches and submits through their own server, the trainer collects, grades (sandboxed,
as the unprivileged grader account) and releases feedback, the trainee fetches it.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
from pathlib import Path

import pytest

from tests.browser import KERNEL_READY, mark_in_formgrader, require_chromium
from tests.conftest import MODULE
from tests.hubfixture import PASSWORD, names, start_hub, stop_hub

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="a hub with real Unix users needs root "
                                 "(make test runs as root in CI)")]
LATE = "m01-what-is-action-learning"


@pytest.fixture(scope="module")
def hub():
    cohort, trainer, trainees = names()
    hub, opened = start_hub(cohort, trainer, trainees)
    try:
        yield hub
    finally:
        stop_hub(hub, opened)


@pytest.fixture(scope="module")
def released(hub):
    from alcourse.hub import trainer
    from alcourse.hub.folder import HubFolder

    folder = HubFolder.open(hub.root)
    trainer.release(folder, MODULE, due="2099-01-01 17:00:00 UTC")
    trainer.release(folder, LATE, due="2020-01-01 17:00:00 UTC")
    return folder


def assignments(hub, user):
    reply = hub.server(user, "GET", f"/assignments?course_id={hub.cohort}")
    assert reply["success"], reply
    return reply["value"]


def test_hub_has_the_cohort_groups_and_grader_service(hub):
    users = {u["name"]: u["groups"] for u in hub.api("GET", "/users")}
    assert users[hub.trainer] == [f"formgrade-{hub.cohort}"]
    assert users[f"grader-{hub.cohort}"] == [f"formgrade-{hub.cohort}"]
    assert all(users[t] == [f"nbgrader-{hub.cohort}"] for t in hub.trainees)
    assert hub.cohort in hub.api("GET", "/services")
    assert (hub.root / "admin-token").stat().st_mode & 0o777 == 0o600


def test_trainee_fetches_and_submits_through_their_own_server(hub, released):
    a = hub.trainees[0]
    listed = {x["assignment_id"]: x["status"] for x in assignments(hub, a)}
    assert listed == {MODULE: "released", LATE: "released"}
    reply = hub.server(a, "POST", "/assignments/fetch", {"course_id": hub.cohort, "assignment_id": MODULE})
    assert reply["success"], reply
    notebook = Path(f"/home/{a}/{hub.cohort}/{MODULE}/{MODULE}.ipynb")
    assert notebook.stat().st_uid == __import__("pwd").getpwnam(a).pw_uid  # the trainee's own file
    reply = hub.server(a, "POST", "/assignments/submit", {"course_id": hub.cohort, "assignment_id": MODULE})
    assert reply["success"], reply
    inbound = hub.root / "exchange" / hub.cohort / "inbound"
    mine = [p for p in inbound.iterdir() if p.name.startswith(f"{a}+{MODULE}+")]
    assert len(mine) == 1 and mine[0].stat().st_mode & 0o777 == 0o750


def test_trainee_lab_shows_trainee_tools_only(hub):
    a = hub.trainees[0]
    page = hub.server(a, "GET", "/lab")
    assert "@jupyter/nbgrader:formgrader" in page and "@jupyter/nbgrader:create-assignment" in page
    disabled = page.split('"disabledExtensions": ')[1].split("]")[0]
    assert "formgrader" in disabled and "create-assignment" in disabled and "assignment-list" not in disabled
    with pytest.raises(urllib.error.HTTPError) as err:
        hub.server(a, "GET", "/formgrader")
    assert err.value.code == 404


def test_formgrader_opens_through_the_hub_for_trainers_only(hub):
    token = hub.token(hub.trainer, [f"access:services!service={hub.cohort}"])
    import urllib.request

    req = urllib.request.Request(f"{hub.url}/services/{hub.cohort}/formgrader",
                                 headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        assert "<title>nbgrader formgrade" in resp.read().decode()
        # the hub's security policy is kept: formgrader is its own page, never framed
        assert "frame-ancestors 'none'" in resp.headers.get("Content-Security-Policy", "")
    with pytest.raises(urllib.error.HTTPError) as err:
        hub.token(hub.trainees[1], [f"access:services!service={hub.cohort}"])
    assert err.value.code == 400


def test_another_trainee_cannot_read_list_change_or_delete_a_submission(hub, released):
    a, b = hub.trainees[0], hub.trainees[1]
    inbound = hub.root / "exchange" / hub.cohort / "inbound"
    theirs = next(p for p in inbound.iterdir() if p.name.startswith(f"{a}+"))
    target = theirs / f"{MODULE}.ipynb"
    before = target.read_bytes()
    attempts = {
        "list": ["ls", str(inbound)],
        "read": ["cat", str(target)],
        "list theirs": ["ls", str(theirs)],
        "overwrite": ["sh", "-c", f"echo forged > '{target}'"],
        "delete": ["rm", "-rf", str(theirs)],
        "rename": ["mv", str(theirs), str(inbound / f"{b}+{MODULE}+stolen")],
    }
    for what, cmd in attempts.items():
        proc = hub.as_user(b, *cmd)
        assert proc.returncode != 0, f"{b} could {what} {a}'s submission: {proc.stdout}"
        assert "denied" in proc.stderr or "not permitted" in proc.stderr, (what, proc.stderr)
    assert target.read_bytes() == before and theirs.is_dir()
    # nbgrader's own way to file work under another's name is refused...
    hub.as_user(b, "sh", "-c", f"cd ~ && nbgrader fetch_assignment {MODULE}")
    proc = hub.as_user(b, "sh", "-c", f"cd ~ && nbgrader submit {MODULE} --student {a}")
    assert proc.returncode != 0 and "only submit your own work" in proc.stderr
    # ...and one forged by hand (the inbound folder takes new entries) is never collected
    forged = inbound / f"{a}+{MODULE}+2090-01-01 00:00:00.000000 UTC+forged"
    proc = hub.as_user(b, "sh", "-c", f"mkdir '{forged}' && cp ~/{hub.cohort}/{MODULE}/{MODULE}.ipynb "
                       f"'{forged}/' && echo '2090-01-01 00:00:00.000000 UTC' > '{forged}/timestamp.txt'")
    assert proc.returncode == 0, proc.stderr


def test_trainer_collects_grades_and_returns_feedback_the_trainee_fetches(hub, released):
    from alcourse.hub import trainer

    a = hub.trainees[0]
    out = trainer.collect(released, MODULE)
    assert "filed under" in out and hub.trainees[1] in out  # the forged one, skipped
    submitted = released.course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == [a]
    out = trainer.grade(released, MODULE)
    assert a in out and ("graded" in out or "needs manual grading" in out), out
    trainer.feedback(released, MODULE)
    reply = hub.server(a, "POST", "/assignments/fetch_feedback",
                       {"course_id": hub.cohort, "assignment_id": MODULE})
    assert reply["success"], reply
    pages = list(Path(f"/home/{a}/{hub.cohort}/{MODULE}/feedback").glob(f"*/{MODULE}.html"))
    assert len(pages) == 1 and "Score" in pages[0].read_text()
    # the course's own page: its summary at the top, nothing fetched from another site
    page = pages[0].read_text()
    assert "alcourse-summary" in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    # nobody else's feedback reached this trainee, nor this one's anyone else
    assert not Path(f"/home/{hub.trainees[1]}/{hub.cohort}/{MODULE}/feedback").exists()


def test_submission_after_the_due_date_is_marked_late(hub, released):
    from nbgrader.api import Gradebook

    from alcourse.hub import trainer

    c = hub.trainees[2]
    for action in ("fetch", "submit"):
        reply = hub.server(c, "POST", f"/assignments/{action}",
                           {"course_id": hub.cohort, "assignment_id": LATE})
        assert reply["success"], reply
    trainer.collect(released, LATE)
    trainer.grade(released, LATE)
    with Gradebook(f"sqlite:///{released.course / 'gradebook.db'}", hub.cohort) as gb:
        submission = gb.find_submission(LATE, c)
        assert submission.total_seconds_late > 0
        on_time = gb.find_submission(MODULE, hub.trainees[0])
        assert on_time.total_seconds_late == 0
    # the export says so, in words, beside the score (no silent penalty)
    from alcourse.grading import CourseFolder
    from alcourse.grading.cohort import collect, export_csv

    rows = {(r.student, r.module): r for r in collect(CourseFolder.open(released.course))}
    assert rows[(c, LATE)].seconds_late > 0 and rows[(hub.trainees[0], MODULE)].seconds_late == 0
    import csv
    import io

    table = csv.DictReader(io.StringIO(export_csv(list(rows.values()))))
    exported = {(r["student"], r["module"]): r for r in table}
    assert exported[(c, LATE)]["late"].startswith("late by ")
    assert exported[(hub.trainees[0], MODULE)]["late"] == ""


def test_adding_trainees_keeps_everyone_and_their_work(hub, released):
    from alcourse.hub.folder import HubFolder
    from alcourse.hub.roster import Person

    folder = HubFolder.open(hub.root)
    a = hub.trainees[0]
    work = Path(f"/home/{a}/{hub.cohort}/{MODULE}/{MODULE}.ipynb")
    before = work.read_bytes()
    new = f"td{hub.cohort[1:]}"
    hub.trainees.append(new)  # removed with the others at the end
    added = folder.add_trainees([Person(a, "Again"), Person(new, "New Trainee")])
    assert [p.username for p in added] == [new]
    assert work.read_bytes() == before
    users = {u["name"]: u["groups"] for u in hub.api("GET", "/users")}
    assert users[new] == [f"nbgrader-{hub.cohort}"] and a in users
    people = json.loads((hub.root / "cohort.json").read_text())["trainees"]
    assert [p["username"] for p in people][-1] == new and len(people) == 5


# -- the same loop in a real browser --------------------------------------------------------------

REFLECTION = "reflection-m03-reflection-sponsor"
COMMENT = "Two contrasts used well; name the principle you rely on."


def login(browser, hub, user):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    return page


def manual(folder, user):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{folder.course / 'gradebook.db'}", folder.cohort()["cohort"]) as gb:
        nb = gb.find_submission_notebook(MODULE, MODULE, user)
        grade = next(g for g in nb.grades if g.name == REFLECTION)
        comment = next(c for c in nb.comments if c.name == REFLECTION)
        return nb.id, grade.manual_score, comment.manual_comment


@pytest.mark.browser
def test_a_cohort_in_the_browser_from_fetch_to_feedback(hub, released, browser, tmp_path):
    """Trainee: log in, Assignments tab, fetch m03, answer a widget, submit. Trainer: collect and
    grade, mark the reflection in formgrader opened through the hub, release feedback. Trainee:
    fetch the feedback and see the score and the comment."""

    from alcourse.hub import trainer

    require_chromium()
    d = hub.trainees[3]
    page = login(browser, hub, d)
    page.wait_for_url(f"**/user/{d}/lab**", timeout=240_000)
    page.wait_for_function("() => !!window.jupyterapp && !!window.jupyterapp.commands"
                           " && window.jupyterapp.commands.hasCommand('nbgrader:open-assignment-list')",
                           timeout=120_000)
    has = "(id) => window.jupyterapp.commands.hasCommand(id)"
    # a trainee's JupyterLab: the Assignments tab, none of nbgrader's instructor tools
    assert not page.evaluate(has, "nbgrader:open-formgrader")
    assert not page.evaluate(has, "nbgrader:open-create-assignment")
    assert not page.evaluate(has, "nbgrader:open-course-list")
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    released_row = page.locator("#released_assignments_list .list_item", has_text=MODULE)
    released_row.locator("button", has_text="Fetch").click(timeout=120_000)
    fetched_row = page.locator("#fetched_assignments_list .list_item", has_text=MODULE).first
    fetched_row.wait_for(timeout=120_000)
    page.screenshot(path=str(tmp_path / "assignments.png"))
    page.goto(f"{hub.url}/user/{d}/lab/tree/{hub.cohort}/{MODULE}/{MODULE}.ipynb")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    page.wait_for_function(KERNEL_READY, timeout=120_000)
    # nothing pressed: the trainee profile runs the module when it opens
    exercise = page.locator(".alcourse-exercise").first
    exercise.wait_for(timeout=120_000)
    radio = exercise.locator(".alcourse-choice").first.locator("input[type=radio]").first
    radio.focus()
    page.keyboard.press("Space")
    exercise.locator(".alcourse-feedback").first.wait_for(timeout=60_000)
    answers = Path(f"/home/{d}/{hub.cohort}/{MODULE}/{MODULE}.answers.json")
    assert json.loads(answers.read_text())["exercises"]
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.locator("#fetched_assignments_list .list_item", has_text=MODULE).locator(
        "button", has_text="Submit").first.click(timeout=120_000)
    page.locator("#submitted_assignments_list .list_item", has_text=MODULE).first.wait_for(
        timeout=120_000)
    page.screenshot(path=str(tmp_path / "submitted.png"))

    trainer.collect(released, MODULE)
    out = trainer.grade(released, MODULE)
    assert d in out, out
    sub_id, _, _ = manual(released, d)
    # formgrader through the hub, in its own tab (the hub forbids framing it)
    grader_page = login(browser, hub, hub.trainer)
    grader_page.wait_for_url("**/user/**", timeout=240_000)
    grader_page.goto(f"{hub.url}/services/{hub.cohort}/formgrader")
    grader_page.locator("td", has_text=MODULE).first.wait_for(timeout=120_000)
    mark_in_formgrader(grader_page, f"{hub.url}/services/{hub.cohort}/formgrader/submissions/{sub_id}/",
                       REFLECTION, 4, COMMENT, lambda: manual(released, d)[1:] == (4.0, COMMENT))
    grader_page.screenshot(path=str(tmp_path / "formgrader.png"))
    assert manual(released, d)[1:] == (4.0, COMMENT)

    trainer.feedback(released, MODULE)
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.locator("#refresh_assignments_list").click()
    reply = hub.server(d, "POST", "/assignments/fetch_feedback",
                       {"course_id": hub.cohort, "assignment_id": MODULE})
    assert reply["success"], reply
    html = next(Path(f"/home/{d}/{hub.cohort}/{MODULE}/feedback").glob(f"*/{MODULE}.html"))
    rel = html.relative_to(f"/home/{d}")
    page.goto(f"{hub.url}/user/{d}/files/{rel}")
    text = page.inner_text("body")
    assert COMMENT in text and "Score" in text
    page.screenshot(path=str(tmp_path / "feedback.png"))
