"""Build :class:`~alcourse.exercises.model.Exercise` objects from module files and content.

Feedback sentences are assembled from the content data, so correcting a
contrast or a principle corrects every exercise's feedback too.
"""

from __future__ import annotations

import random

from alcourse.content.model import Course
from alcourse.curriculum.model import ExerciseSpec
from alcourse.exercises.model import Exercise, Option, Question

TRADITIONAL, ACTION = "traditional", "action"
SIDE_LABELS = {TRADITIONAL: "Traditional learning", ACTION: "Action learning"}


def build_exercise(spec: ExerciseSpec, course: Course) -> Exercise:
    """Turn one exercise spec into a checkable exercise."""
    builder = {
        "sort-table": _sort_table,
        "pair-table": _pair_table,
        "classify": _classify,
        "choice": _choice,
    }[spec.kind]
    questions = builder(spec, course)
    covers = tuple(dict.fromkeys(spec.covers + tuple(c for q in questions for c in q.covers)))
    style = "choice" if spec.kind == "choice" else "classify"
    return Exercise(spec.id, spec.title, spec.instructions, tuple(questions), seed=spec.seed,
                    covers=covers, style=style)


def _sort_table(spec: ExerciseSpec, course: Course) -> list[Question]:
    table = course.table(spec.table)
    questions = []
    for row in table.rows:
        for side, statement, other_side, other in (
            (TRADITIONAL, row.traditional, ACTION, row.action),
            (ACTION, row.action, TRADITIONAL, row.traditional),
        ):
            right = (f"Right: \u201c{statement}\u201d is {SIDE_LABELS[side].lower()}; "
                     f"its opposite is \u201c{other}\u201d. {row.explanation}")
            wrong = (f"Not quite: \u201c{statement}\u201d belongs to {SIDE_LABELS[side].lower()}. "
                     f"{SIDE_LABELS[other_side]} is \u201c{other}\u201d. {row.explanation}")
            questions.append(Question(
                id=f"{row.id.split('.', 1)[1]}-{side}",
                prompt=statement,
                options=(
                    Option(side, SIDE_LABELS[side], 1, right),
                    Option(other_side, SIDE_LABELS[other_side], 0, wrong),
                ),
                covers=(row.id,),
            ))
    # keep option order stable (traditional first) whatever the statement's side
    return [Question(q.id, q.prompt, tuple(sorted(q.options, key=lambda o: o.id != TRADITIONAL)),
                     q.covers) for q in questions]


def _pair_table(spec: ExerciseSpec, course: Course) -> list[Question]:
    table = course.table(spec.table)
    questions = []
    for row in table.rows:
        options = []
        for other in table.rows:
            if other is row:
                feedback = (f"Right: \u201c{row.traditional}\u201d pairs with "
                            f"\u201c{row.action}\u201d ({row.aspect.lower()}). {row.explanation}")
            else:
                feedback = (f"Not quite: \u201c{other.action}\u201d is the opposite of "
                            f"\u201c{other.traditional}\u201d ({other.aspect.lower()}). "
                            f"\u201c{row.traditional}\u201d pairs with another statement.")
            options.append(Option(other.id.split(".", 1)[1], other.action,
                                  1 if other is row else 0, feedback))
        questions.append(Question(row.id.split(".", 1)[1], row.traditional, tuple(options),
                                  covers=(row.id,)))
    return questions


def _categories(spec: ExerciseSpec, course: Course) -> list[tuple[str, str]]:
    if spec.categories:
        return [(c.id, c.label) for c in spec.categories]
    return [(item.id, item.title) for item in course.collection(spec.categories_from).items]


def _classify(spec: ExerciseSpec, course: Course) -> list[Question]:
    categories = _categories(spec, course)
    labels = dict(categories)
    questions = []
    for item in spec.items:
        if item.answer not in labels:
            raise ValueError(
                f"exercise {spec.id!r} item {item.id!r}: answer {item.answer!r} is not a "
                f"category; allowed: {', '.join(labels)}"
            )
        options = []
        for cat_id, label in categories:
            if cat_id == item.answer:
                feedback = f"Right: {label}. {item.why}"
            else:
                feedback = (f"Not quite: the answer is \u201c{labels[item.answer]}\u201d, "
                            f"not \u201c{label}\u201d. {item.why}")
            options.append(Option(cat_id, label, 1 if cat_id == item.answer else 0, feedback))
        covers = item.covers or ((item.answer,) if "." in item.answer else ())
        questions.append(Question(item.id, item.prompt, tuple(options), covers))
    return questions


def _choice(spec: ExerciseSpec, course: Course) -> list[Question]:
    # Authors tend to write the best response first; shown in that order it can be picked
    # without reading. Options are shuffled with a seed fixed per exercise (every trainee,
    # re-run and screenshot sees the same order), and the best option's place is dealt from
    # a shuffled deck of positions so that it is spread evenly over an exercise's situations.
    # Answers are saved and graded by option id, never by position.
    rng = random.Random(f"{spec.id}:{spec.seed}")
    decks: dict[int, list[int]] = {}
    questions = []
    for situation in spec.situations:
        options = [
            Option(o.id, o.label, o.points, o.feedback, tags=(f"heron:{o.heron}",) if o.heron else ())
            for o in situation.options
        ]
        best = max(options, key=lambda o: o.points)
        others = [o for o in options if o is not best]
        rng.shuffle(others)
        deck = decks.setdefault(len(options), [])
        if not deck:
            deck.extend(range(len(options)))
            rng.shuffle(deck)
        others.insert(deck.pop(), best)
        questions.append(Question(situation.id, situation.situation, tuple(others), situation.covers))
    return questions
