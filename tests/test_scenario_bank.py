"""The scenario bank (modules 6 and 7) and the facilitation canon keep the promises the course makes.

Trainees learn Heron's categories from the feedback, because the widget does not show an
option's ``heron`` tag, so every tagged option's feedback must name its category.
"""

from __future__ import annotations

import pytest

from alcourse.curriculum.model import ExerciseSpec

HERON = ("prescriptive", "informative", "confronting", "cathartic", "catalytic", "supportive")
BANK_MODULES = ("m06-questions", "m07-the-set-adviser")


def _bank(curriculum) -> list[ExerciseSpec]:
    return [spec for module in BANK_MODULES for spec in curriculum.module(module).exercise_specs()
            if spec.kind == "choice"]


def test_bank_has_at_least_twelve_situations_in_graded_exercises(curriculum):
    specs = _bank(curriculum)
    assert len(specs) >= 2
    checked = {c for module in BANK_MODULES for c in curriculum.module(module).checks()}
    assert all(spec.id in checked for spec in specs)
    assert sum(len(spec.situations) for spec in specs) >= 12


def _situations(curriculum):
    return [(spec.id, s) for spec in _bank(curriculum) for s in spec.situations]


def test_every_situation_has_a_clear_best_option_and_a_poor_one(curriculum):
    for exercise_id, situation in _situations(curriculum):
        where = f"{exercise_id}/{situation.id}"
        assert 3 <= len(situation.options) <= 4, where
        points = sorted(o.points for o in situation.options)
        assert points[0] == 0, f"{where}: needs an option worth 0"
        assert points[-1] > points[-2], f"{where}: the best option must be unique"


def test_every_option_has_a_heron_category_named_in_its_feedback(curriculum):
    for exercise_id, situation in _situations(curriculum):
        for option in situation.options:
            where = f"{exercise_id}/{situation.id}/{option.id}"
            assert option.heron in HERON, where
            assert option.heron in option.feedback.lower(), f"{where}: feedback must name {option.heron}"
            exercise = curriculum.exercise(exercise_id)
            built = exercise.question(situation.id).option(option.id)
            assert f"heron:{option.heron}" in built.tags, where


def test_best_options_use_several_heron_categories(curriculum):
    """If one category were always best, trainees would learn a rule, not judgement."""
    best = {max(s.options, key=lambda o: o.points).heron for _, s in _situations(curriculum)}
    assert len(best) >= 4, best


@pytest.mark.parametrize("failure_id", [
    "failure.advice-giving", "failure.dominating-airtime", "failure.silent-members",
    "failure.puzzles-as-problems", "failure.no-action", "failure.dependence-on-adviser",
    "failure.collusion", "failure.falling-attendance",
])
def test_each_failure_mode_names_the_interventions_that_suit_it(course, failure_id):
    item = course.item(failure_id)
    herons = [r for r in item.related if r.startswith("heron.")]
    assert herons, f"{failure_id} is related to no Heron category"
    for heron_id in herons:
        assert heron_id.split(".")[1] in item.detail, (failure_id, heron_id)


def test_kirkpatrick_mapping_is_labelled_as_the_course_own(course):
    collection = course.collection("kirkpatrick")
    assert "this course's own mapping" in collection.intro
    assert "course's own" in course.sources[collection.source].citation
    for item in collection.items:
        assert item.detail.startswith("In action learning (the course's mapping)"), item.id
