"""Pick-the-best-response exercises: the best option is not given away by its position."""

from __future__ import annotations

from alcourse.curriculum.model import ExerciseSpec

ALPHA = 0.01


def _tail(probabilities: list[float], at_least: int) -> float:
    """P(at least ``at_least`` successes) for independent trials (Poisson binomial, exact)."""
    dist = [1.0]
    for p in probabilities:
        dist = [(dist[i] if i < len(dist) else 0.0) * (1 - p) + (dist[i - 1] * p if i else 0.0)
                for i in range(len(dist) + 1)]
    return sum(dist[at_least:])


def _positions(exercise):
    return [([o.id for o in q.options].index(q.best().id), len(q.options)) for q in exercise.ordered()]


def _choice_exercises(curriculum):
    return [curriculum.exercise(spec.id) for module in curriculum.modules.values()
            for spec in module.exercise_specs() if spec.kind == "choice"]


def test_no_exercise_puts_its_best_option_in_one_position_more_than_chance_allows(curriculum):
    exercises = _choice_exercises(curriculum)
    assert len(exercises) >= 5
    everywhere: dict[int, list[float]] = {}
    hits: dict[int, int] = {}
    for exercise in exercises:
        positions = _positions(exercise)
        for position in range(max(k for _, k in positions)):
            chance = [1 / k for _, k in positions if position < k]
            count = sum(1 for p, _ in positions if p == position)
            assert _tail(chance, count) >= ALPHA, (
                f"{exercise.id}: the best option is option {position + 1} in {count} of "
                f"{len(positions)} situations")
            everywhere.setdefault(position, []).extend(chance)
            hits[position] = hits.get(position, 0) + count
    for position, chance in everywhere.items():
        assert _tail(chance, hits[position]) >= ALPHA, (
            f"across the course the best option is option {position + 1} in {hits[position]} situations")


def test_the_order_is_fixed_and_the_key_is_by_id(curriculum):
    from alcourse.exercises.builders import build_exercise

    for exercise in _choice_exercises(curriculum):
        spec = next(s for m in curriculum.modules.values() for s in m.exercise_specs() if s.id == exercise.id)
        again = build_exercise(spec, curriculum.course)
        assert [[o.id for o in q.options] for q in again.questions] == \
               [[o.id for o in q.options] for q in exercise.questions], "same order on every build"
        assert exercise.check(exercise.model_answers()).points == exercise.max_points
        for q in exercise.questions:
            written = next(s for s in spec.situations if s.id == q.id)
            assert {o.id: o.points for o in q.options} == {o.id: o.points for o in written.options}


def test_the_chance_check_catches_a_best_first_exercise():
    # the checker itself: 6 of 7 situations best-first out of 3 options is far beyond chance
    assert _tail([1 / 3] * 7, 6) < ALPHA
    assert _tail([1 / 3] * 7, 3) >= ALPHA
    assert ExerciseSpec  # the spec type the exercises above are built from
