"""Results per competence: right, wrong, partial, waiting and failed items."""

from __future__ import annotations

import pytest

from alcourse.curriculum.tags import GradedItem, graded_items
from alcourse.grading.competences import (
    FAILED,
    NEEDS_MANUAL,
    competence_results,
    exercise_scores,
)

A = GradedItem("ex:a", "m01", "question", 1, ("competence.one",))
B = GradedItem("ex:b", "m01", "question", 1, ("competence.one", "competence.two"))
C = GradedItem("ref:c", "m01", "criterion", 2, ("competence.two",))


def test_full_marks_everywhere_is_strong_in_every_competence(curriculum):
    items = graded_items(curriculum)
    results = competence_results({i.id: i.max_points for i in items}, items)
    assert set(results) == set(curriculum.course.competences)
    assert {r.level for r in results.values()} == {"strong"}
    assert all(r.complete and r.share == 1.0 for r in results.values())


def test_nothing_right_is_not_yet_and_nothing_submitted_has_no_level(curriculum):
    items = graded_items(curriculum)
    zero = competence_results({i.id: 0.0 for i in items}, items)
    assert {r.level for r in zero.values()} == {"not-yet"}
    blank = competence_results({}, items)
    assert {r.level for r in blank.values()} == {None}
    assert all(r.missing == r.items and r.share is None for r in blank.values())


def test_an_item_counts_towards_each_competence_it_names():
    results = competence_results({"ex:a": 1, "ex:b": 0, "ref:c": 2}, [A, B, C])
    one, two = results["competence.one"], results["competence.two"]
    assert (one.points, one.max_points, one.level) == (1.0, 2.0, "not-yet")
    assert (two.points, two.max_points) == (2.0, 3.0)
    assert two.level == "competent"  # 2/3 is between the cut points


def test_waiting_and_failed_items_are_never_zeros():
    results = competence_results({"ex:a": 1, "ex:b": 1, "ref:c": NEEDS_MANUAL}, [A, B, C])
    two = results["competence.two"]
    assert (two.points, two.max_points, two.waiting) == (1.0, 1.0, 1)
    assert two.level is None and "waiting for a trainer" in two.describe()
    failed = competence_results({"ex:a": FAILED, "ex:b": 1}, [A, B])["competence.one"]
    assert failed.share == 1.0 and failed.failed == 1 and failed.level is None
    assert "could not be graded" in failed.describe()


def test_competences_without_items_are_still_reported():
    results = competence_results({}, [A], competences=["competence.one", "competence.ethics"])
    assert results["competence.ethics"].items == 0
    assert results["competence.ethics"].describe() == "no graded items evidence it"
    assert results["competence.one"].describe() == "nothing graded yet so far; 1 item not submitted"


@pytest.mark.parametrize(("score", "message"), [
    (3, "ref:c: 3 points is outside 0 to 2"),
    (-1, "outside 0 to 2"),
    ("lost", "not a number or one of"),
])
def test_bad_scores_name_the_item(score, message):
    with pytest.raises(ValueError, match=message):
        competence_results({"ref:c": score}, [C])


def test_exercise_results_feed_in_under_graded_item_ids(curriculum):
    ex = curriculum.exercise("m10.contracting")
    result = ex.check(ex.model_answers())
    scores = exercise_scores(ex.id, {i.question_id: i.points for i in result.items})
    items = [i for i in graded_items(curriculum) if i.id.startswith(f"{ex.id}:")]
    assert set(scores) == {i.id for i in items}
    results = competence_results(scores, items)
    assert results["competence.contracting"].level == "strong"


def test_criterion_marks_are_read_from_a_trainers_comment(curriculum):
    from alcourse.grading.competences import criterion_marks

    ref = curriculum.module("m10-in-house-adviser").reflections()[0]
    criteria = [(c.id, tuple(lv.marks for lv in c.levels.values())) for c in ref.criteria]
    comment = "Clear pre-meetings.\nPre-meetings: see below\npre-meetings: 1\nlimits: 2\nnotes: 0.5"
    assert criterion_marks(comment, criteria) == {"pre-meetings": 1.0, "limits": 2.0, "notes": 0.5}
    with pytest.raises(ValueError, match=r"c:2: limits: 1.5 is not one of its level marks \(0, 1, 2\)"):
        criterion_marks("ok\nlimits: 1.5", criteria, where="c")
    with pytest.raises(ValueError, match="limit: is not a criterion"):
        criterion_marks("limit: 1", criteria)


def _cell(name, score, max_score, comment="", manual=False, kind="markdown"):
    from alcourse.grading.gradebook import CellGrade

    return CellGrade(name, kind, score, max_score, None, score, manual, comment)


def test_a_submission_gives_per_competence_results(curriculum):
    from alcourse.grading.competences import module_competences, module_scores
    from alcourse.grading.recorded import record_checks
    from alcourse.session import reflection_grade_id

    module = "m10-in-house-adviser"
    ref = curriculum.module(module).reflections()[0]
    choices = record_checks(curriculum, module,
                            {ex.id: ex.model_answers() for ex in curriculum.module_exercises(module)})
    split = "\n".join(f"{c.id}: {c.points:g}" for c in ref.criteria[:-1]) + f"\n{ref.criteria[-1].id}: 0"
    marked = _cell(reflection_grade_id(ref.id), ref.points - ref.criteria[-1].points, ref.points, split)
    scores = module_scores(curriculum, module, choices, [marked])
    assert scores[f"{ref.id}:{ref.criteria[-1].id}"] == 0.0
    assert scores[f"{ref.id}:{ref.criteria[0].id}"] == ref.criteria[0].points
    results = module_competences(curriculum, module, choices, [marked])
    assert results["competence.contracting"].level == "strong"
    assert results["competence.reflective-practice"].share < 1.0  # supervision criterion: 0

    # marked as a total only: the criteria wait for the trainer's split, never a guessed one
    total_only = _cell(reflection_grade_id(ref.id), 5, ref.points, "Good work.")
    waiting = module_scores(curriculum, module, choices, [total_only])
    assert {waiting[f"{ref.id}:{c.id}"] for c in ref.criteria} == {NEEDS_MANUAL}
    pending = _cell(reflection_grade_id(ref.id), 0, ref.points, manual=True)
    assert module_competences(curriculum, module, choices, [pending])[
        "competence.ethics-boundaries"].waiting == 3
    # no answers file: the exercises are not submitted, not zero
    none = module_competences(curriculum, module, None, [])
    assert none["competence.contracting"].missing == none["competence.contracting"].items


def test_a_trainees_results_span_only_the_modules_they_submitted(curriculum):
    from alcourse.grading.competences import cohort_competence_html, trainee_competences
    from alcourse.grading.recorded import record_checks

    m10 = "m10-in-house-adviser"
    model = {ex.id: ex.model_answers() for ex in curriculum.module_exercises(m10)}
    choices = record_checks(curriculum, m10, model)
    results = trainee_competences(curriculum, [(m10, choices, [])])
    assert set(results) == set(curriculum.course.competences)
    # m10's written answer is not in the gradebook yet: its criteria are not submitted, so no level
    assert results["competence.ethics-boundaries"].missing == 3
    assert results["competence.ethics-boundaries"].level is None
    # competences m10 does not assess have no items, not zeros
    assert results["competence.questioning-listening"].items == 0
    html = cohort_competence_html({"ann": results}, curriculum.course)
    assert "Questioning and listening" in html and "\u2014" in html
