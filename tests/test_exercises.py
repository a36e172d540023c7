"""Every exercise checker: right answers score full, wrong and partial what they should."""

from __future__ import annotations

import pytest

from alcourse.exercises.model import NOT_ANSWERED


def _all_exercises(curriculum):
    return list(curriculum.exercises.values())


def _worst(question):
    return min(question.options, key=lambda o: o.points)


def test_there_are_exercises(curriculum):
    assert len(curriculum.exercises) >= 3


@pytest.mark.parametrize("exercise_id", [
    "m03.contrasts-in-practice", "m03.principles-in-tension",
    "m01.p-or-q", "m01.puzzle-or-problem", "m01.foundations-in-practice",
    "m02.spot-breaks", "m02.keep-or-break", "m02.protect-principles",
    "m04.which-responsibility", "m04.candidate-problems", "m04.knows-cares-can",
    "m04.ownership-choices",
    "m05.hold-the-shape", "m05.which-part", "m05.which-ground-rule", "m05.set-design",
    "m06.classify-questions", "m06.clarify-or-explore", "m06.handle-questioning", "m06.wording",
    "m07.name-the-category", "m07.handle-in-the-room", "m07.which-mode", "m07.handle-over-time",
    "m08.which-aim", "m08.intentions-at-stake", "m08.programme-decisions", "m08.evaluation-levels",
    "m10.contracting", "m10.confidentiality", "m10.online", "m10.endings",
])
def test_right_wrong_and_partial(curriculum, exercise_id):
    ex = curriculum.exercise(exercise_id)
    right = ex.check(ex.model_answers())
    assert right.points == ex.max_points > 0
    assert right.complete and all(i.correct for i in right.items)

    wrong = ex.check({q.id: _worst(q).id for q in ex.questions})
    assert wrong.points == 0
    assert wrong.complete and not any(i.correct for i in wrong.items)

    half = dict(list(ex.model_answers().items())[: len(ex.questions) // 2])
    partial = ex.check(half)
    expected = sum(q.max_points for q in ex.questions if q.id in half)
    assert partial.points == expected
    assert partial.answered == len(half)
    assert not partial.complete
    assert sorted(partial.unanswered) == sorted(q.id for q in ex.questions if q.id not in half)


def test_unknown_answers_count_as_unanswered(curriculum):
    ex = curriculum.exercise("m03.contrasts-in-practice")
    q = ex.questions[0]
    result = ex.check({q.id: "no-such-option", "no-such-question": q.options[0].id})
    assert result.points == 0 and result.answered == 0
    assert result.items[0].feedback == NOT_ANSWERED


def _built(course, kind):
    # no module uses the sort and pair builders any more (issue 11 replaced them with
    # judgement items); adapters may, so the builders are still checked on the seed's table
    from alcourse.curriculum.model import ExerciseSpec
    from alcourse.exercises.builders import build_exercise

    return build_exercise(ExerciseSpec(f"demo.{kind}", "t", "i", kind, table="table.margerison"), course)


def test_sort_table_has_fourteen_statements_with_specific_feedback(course):
    ex = _built(course, "sort-table")
    assert len(ex.questions) == 14
    row = course.item("contrast.location")
    q = ex.question("location-traditional")
    assert q.prompt == "Classroom-Based"
    right = ex.check_one(q.id, "traditional")
    wrong = ex.check_one(q.id, "action")
    assert right.correct and "Work Based" in right.feedback and row.explanation in right.feedback
    assert not wrong.correct and "belongs to traditional learning" in wrong.feedback


def test_pair_table_feedback_names_the_real_pair(course):
    ex = _built(course, "pair-table")
    q = ex.question("location")
    wrong = ex.check_one("location", "time")
    assert "Concern with Here and Now" in wrong.feedback and wrong.points == 0
    assert ex.check_one("location", "location").correct
    assert len(q.options) == 7


def test_classify_feedback_says_why(curriculum):
    ex = curriculum.exercise("m02.spot-breaks")
    wrong = ex.check_one("already-thought", "principle.listened-to")
    assert "the answer is \u201cOpen to challenge\u201d" in wrong.feedback
    assert "defence" in wrong.feedback


def test_shuffle_is_seeded_and_stable(curriculum):
    ex = curriculum.exercise("m02.spot-breaks")
    first = [q.id for q in ex.ordered()]
    assert first == [q.id for q in ex.ordered()]
    assert first != [q.id for q in ex.questions]  # really shuffled
    assert sorted(first) == sorted(q.id for q in ex.questions)


def test_every_exercise_covers_content(curriculum):
    known = set(curriculum.course.all_ids())
    for ex in _all_exercises(curriculum):
        assert ex.covers, ex.id
        assert set(ex.covers) <= known | set(curriculum.course.collections) | set(
            curriculum.course.tables), ex.id
