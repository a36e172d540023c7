"""Every graded item evidences a competence, and the course codes Heron's categories one way."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from alcourse.content import ContentError, data_dir
from alcourse.curriculum import load_curriculum
from alcourse.curriculum.tags import graded_items, items_by_competence


def test_every_graded_item_names_a_known_competence(curriculum):
    items = graded_items(curriculum)
    kinds = {i.kind for i in items}
    assert kinds == {"question", "criterion", "simulation"}
    untagged = [i.id for i in items if not i.competences]
    assert untagged == []
    unknown = {t for i in items for t in i.competences} - set(curriculum.course.competences)
    assert unknown == set()


def test_every_competence_is_evidenced_by_at_least_three_graded_items(curriculum):
    thin = {c: len(v) for c, v in items_by_competence(curriculum).items() if len(v) < 3}
    assert thin == {}


def test_every_competence_is_evidenced_by_a_written_reflection(curriculum):
    # a competence judged only by multiple choice is judged on recognition, not on practice
    by = items_by_competence(curriculum)
    missing = [c for c, items in by.items() if not any(i.kind == "criterion" for i in items)]
    assert missing == []


def _module_copy(tmp_path: Path, module: str, old: str, new: str) -> tuple[Path, Path]:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "modules" / f"{module}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder, path


@pytest.mark.parametrize(("module", "old", "new", "field"), [
    ("m02-key-principles", "competences: [competence.group-dynamics]",
     "competences: [competence.group-dynamcis]", r"m02-key-principles\.blocks\[\d+\]\.exercise\.competences"),
    ("m09-simulated-set", "competences: [competence.holding-process]",
     "competences: [competence.timekeeping]",
     r"m09-simulated-set\.blocks\[\d+\]\.simulation\.criteria\[3\]\.competences"),
    ("m06-questions", "competences: [competence.questioning-listening]\n          text: \"Names each fault",
     "competences: [competence.questions]\n          text: \"Names each fault",
     r"m06-questions\.blocks\[\d+\]\.reflection\.criteria\[0\]\.competences"),
])
def test_an_unknown_competence_is_reported_with_file_line_and_field(tmp_path, module, old, new, field):
    folder, path = _module_copy(tmp_path, module, old, new)
    with pytest.raises(ContentError) as caught:
        load_curriculum(folder)
    text = str(caught.value)
    bad = new.split("[", 1)[1].split("]", 1)[0]
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if bad in row)
    assert text.startswith(f"{path}:{line}: ")
    assert re.search(field, text) and "not a competence" in text and "competence.contracting" in text


# The convention (heron.convention): asking a member to turn advice into a question is confronting.
TURN_INTO_QUESTION = re.compile(
    r"\b(turn|make|put|ask|rephrase|reword)\w* (that|it|this)( again)? (in)?(to|as) an? (open )?question",
    re.I)


def test_turning_advice_into_a_question_is_coded_confronting_everywhere(curriculum):
    found = []
    for module in curriculum.modules.values():
        for spec in module.exercise_specs():
            for situation in spec.situations:
                for option in situation.options:
                    if option.heron and TURN_INTO_QUESTION.search(option.label):
                        found.append((spec.id, option.id, option.heron))
            for item in spec.items:
                if item.answer.startswith("heron.") and TURN_INTO_QUESTION.search(item.prompt):
                    found.append((spec.id, item.id, item.answer.split(".")[1]))
    assert len(found) >= 2, found
    assert {f[2] for f in found} == {"confronting"}, found


def test_the_simulator_codes_the_move_the_same_way():
    from alcourse.simulation.rulebook import default_rulebook

    book = default_rulebook()
    assert TURN_INTO_QUESTION.search(book.moves["confronting"].lines[0])
    assert not any(TURN_INTO_QUESTION.search(line) for line in book.moves["prescriptive"].lines)
    assert max(book.heron, key=lambda m: book.fit("advice-as-question", m)) == "confronting"


def test_what_question_are_you_answering_is_not_the_answer_to_advice_as_a_question(curriculum):
    from alcourse.simulation.rulebook import default_rulebook

    fit = default_rulebook().fit
    assert fit("advice-as-question", "which-question") < fit("advice-as-question", "confronting")
    assert fit("advice-as-question", "which-question") < fit("advice-as-question", "catalytic")
    answer = curriculum.module("m09-simulated-set").reflections()[0].model_answer
    assert "question are you answering" not in answer.lower()


def _producible(scenario_id: str) -> list[re.Pattern[str]]:
    """Every sentence the scenario can put in a transcript, as a pattern (placeholders → any text)."""
    from alcourse.simulation.scenario import load_scenario
    from alcourse.simulation.texts import TEMPLATES

    scenario = load_scenario(scenario_id)
    texts = [t for options in TEMPLATES.values() for t in options]
    fixed = [m.says for m in scenario.moments]
    for member in scenario.members:
        fixed += [member.problem.title, member.problem.summary, *member.problem.actions]
    patterns = [re.compile(r".+?".join(re.escape(part) for part in re.split(r"\{\w+\}", t)))
                for t in texts]
    return patterns + [re.compile(re.escape(" ".join(t.split()))) for t in fixed]


def test_m09_model_answer_quotes_only_lines_the_scenario_can_produce(curriculum):
    module = curriculum.module("m09-simulated-set")
    sim = module.simulations()[0]
    answer = " ".join(module.reflections()[0].model_answer.split())
    quotes = re.findall(r'"([^"]{12,})"', answer)
    assert len(quotes) >= 3
    patterns = _producible(sim.scenario)
    for quote in quotes:
        assert any(p.search(quote) for p in patterns), quote
