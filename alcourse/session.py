"""What a module notebook calls. Trainees only run these cells; they never edit them.

>>> import tempfile
>>> s = Session("m03-traditional-vs-action-learning", folder=tempfile.mkdtemp())
>>> s.score("m03.contrasts-in-practice")
0.0
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alcourse.answers import AnswerStore
from alcourse.curriculum import Curriculum, load_curriculum
from alcourse.curriculum.model import Reflection, SimulationSpec
from alcourse.exercises.model import Exercise

if TYPE_CHECKING:  # the simulator loads only in modules that have one
    from alcourse.simulation.play import ChoiceStore, Playthrough
    from alcourse.simulation.scenario import Catalogue


class StillToDo(Exception):
    """Raised only while nbgrader *validates* a notebook, so that validation tells the truth.

    A check cell that prints "3 of 14 answered" passes nbgrader's validation (no error, no
    number), and "Validate" would say "Success! Your notebook passes all the tests." on a
    notebook that is mostly unanswered.
    """


def _nbgrader_execution() -> str:
    # nbgrader sets this in the kernel's environment: "validate" or "autograde"
    return os.environ.get("NBGRADER_EXECUTION", "")


def _show_message_only(shell: Any, etype: type, value: BaseException, tb: Any,
                       tb_offset: int | None = None) -> None:
    shell.showtraceback((etype, value, tb), exception_only=True)


def _still_to_do(message: str) -> None:
    """Print ``message`` for the trainee; when validating, fail the cell with it (no traceback)."""
    if _nbgrader_execution() != "validate":
        print(message)
        return
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            # IPython's hook for an exception's display: the message alone, not a traceback
            shell.set_custom_exc((StillToDo,), _show_message_only)
    except ImportError:
        pass
    raise StillToDo(message)


class Session:
    """One module's notebook: its exercises and the answers file beside it."""

    def __init__(self, module_id: str, folder: Path | str | None = None,
                 curriculum: Curriculum | None = None) -> None:
        self.curriculum = curriculum or load_curriculum()
        self.module = self.curriculum.module(module_id)
        self.folder = Path(folder) if folder is not None else Path.cwd()
        self.store = AnswerStore.beside(module_id, self.folder)

    def _exercise(self, exercise_id: str) -> Exercise:
        if exercise_id not in {s.id for s in self.module.exercise_specs()}:
            raise KeyError(f"module {self.module.id!r} has no exercise {exercise_id!r}")
        return self.curriculum.exercise(exercise_id)

    def exercise(self, exercise_id: str) -> Any:
        """Show an exercise's widget; answers are saved beside the notebook.

        When nbgrader grades the notebook nothing is shown: no one can click a graded
        notebook, and the grader writes the first choices, checked, in this cell's place
        (:class:`~alcourse.grading.preprocessors.ReadableExercises`).
        """
        exercise = self._exercise(exercise_id)
        if _nbgrader_execution() == "autograde":
            return None
        from alcourse.widgets import ExerciseWidget

        return ExerciseWidget(exercise, self.store)

    def progress(self, exercise_id: str) -> None:
        """Tell the trainee how much is answered, without revealing any mark."""
        exercise = self._exercise(exercise_id)
        result = exercise.check(self.store.graded(exercise_id))
        if result.complete:
            print(f"\u2714 All {result.total} answered in '{exercise.title}'. "
                  "Your trainer's grading will use your first choices.")
        else:
            _still_to_do(f"{result.answered} of {result.total} answered in '{exercise.title}'. "
                         "Go back to the exercise above to answer the rest.")

    # ----- written answers: typed in a text box, saved in the answers file, marked by a trainer
    def _reflection(self, reflection_id: str) -> Reflection:
        for ref in self.module.reflections():
            if ref.id == reflection_id:
                return ref
        raise KeyError(f"module {self.module.id!r} has no written reflection {reflection_id!r}")

    def written(self, reflection_id: str) -> Any:
        """The box to type a written answer in; every change is saved beside the notebook.

        When nbgrader grades the notebook, the saved answer is printed instead, so that the
        trainer reads it in formgrader just above where they mark it.
        """
        from alcourse.widgets.written import WrittenAnswerWidget, length_note

        ref = self._reflection(reflection_id)
        text = self.store.text(ref.id)
        mode = _nbgrader_execution()
        if mode == "autograde":
            print(f"{ref.title}, as saved ({length_note(text, ref.words)})\n\n"
                  f"{text.strip() or '(nothing written)'}")
            return None
        if mode == "validate":
            problem = _length_problem(ref, text)
            if problem:
                _still_to_do(f"'{ref.title}': {problem}")
            return None
        # a store of its own: if this box falls behind another tab, it catches up, never overwrites
        return WrittenAnswerWidget(ref, AnswerStore(self.store.path, self.module.id))

    def score(self, exercise_id: str) -> float:
        """Points for the saved first choices: the value nbgrader records."""
        exercise = self._exercise(exercise_id)
        return exercise.check(self.store.graded(exercise_id)).points

    # ----- simulations: graded by replaying the path saved beside the notebook
    def _simulation(self, sim_id: str) -> SimulationSpec:
        for spec in self.module.simulations():
            if spec.id == sim_id:
                return spec
        raise KeyError(f"module {self.module.id!r} has no simulation {sim_id!r}")

    def _choices(self) -> ChoiceStore:
        from alcourse.simulation.play import ChoiceStore

        return ChoiceStore(self.store.path, self.module.id)

    def _catalogue(self) -> Catalogue:
        from alcourse.simulation.scenario import catalogue

        return catalogue(self.folder / "scenarios")

    def _replay(self, sim_id: str) -> Playthrough:
        from alcourse.simulation.play import replay
        from alcourse.simulation.scenario import load_scenario

        spec = self._simulation(sim_id)
        choices = self._choices()
        scenario = load_scenario(spec.scenario)
        if spec.choose_scenario:  # grading replays whichever set the trainee chose to facilitate
            chosen = self._catalogue().scenarios.get(choices.scenario_of(sim_id))
            scenario = chosen or scenario
        return replay(scenario, spec.seed or None, choices.path_of(sim_id))

    def simulation(self, sim_id: str) -> Any:
        """Show a simulated programme to play; each choice is saved beside the notebook at once.

        Nothing is shown when nbgrader grades the notebook: the cells below it say what was
        played and how it scored.
        """
        spec = self._simulation(sim_id)
        if _nbgrader_execution() == "autograde":
            return None
        from alcourse.widgets.simulator import SimulatorWidget

        return SimulatorWidget(spec, self._choices(),
                               catalogue=self._catalogue() if spec.choose_scenario else None)

    def simulation_progress(self, sim_id: str, criterion_id: str | None = None) -> None:
        """Say what this criterion measures and where the saved path stands on it.

        Shown as wrapping HTML in a notebook (monospace output breaks words) and as
        plain text elsewhere; only the first criterion's cell also says how far the
        programme has been played, so the cells do not repeat one sentence.
        """
        from IPython.display import display

        from alcourse.answers import AnswersError
        from alcourse.simulation.grading import score_criterion
        from alcourse.widgets.simulator import ProgressNote

        spec = self._simulation(sim_id)
        lines = []
        criterion = spec.criterion(criterion_id) if criterion_id is not None else None
        if criterion is not None:
            lines.append(f"Criterion: {criterion.label}")
        try:
            game = self._replay(sim_id)
        except AnswersError as exc:
            display(ProgressNote((*lines, f"Your saved choices cannot be read: {exc}")))
            return
        if criterion is not None:
            got = score_criterion(criterion.kind, criterion.points, criterion.bound, game.result())
            lines.append(f"On the path you have played so far: {got.explanation}.")
        if criterion is None or criterion.id == spec.criteria[0].id:
            lines.extend(_own_words(game))
            played = len(game.result().meetings)
            total = game.scenario.meetings
            if game.finished:
                lines.append(f"\u2714 You have played all {total} meetings and answered {len(game.path)} "
                             "decision points. Your trainer grades the path you finished with, by replaying "
                             "your saved choices.")
            else:
                lines.append(f"{played} of {total} meetings played; {len(game.path)} decision points "
                             "answered so far. Go back to the simulation above to finish the programme.")
        display(ProgressNote(tuple(lines)))
        if not game.finished and _nbgrader_execution() == "validate":
            _still_to_do(f"{len(game.result().meetings)} of "
                         f"{game.scenario.meetings} meetings of the simulation played. Go back to the "
                         "simulation above to finish the programme.")

    def own_words(self, sim_id: str) -> None:
        """Show every line the trainee typed in the simulation, in its moment, with the category
        they named it as: what the trainer marks in the cell below (never scored automatically)."""
        from IPython.display import display

        from alcourse.answers import AnswersError
        from alcourse.simulation.own_words import own_lines, own_words_html, own_words_text

        try:
            game = self._replay(sim_id)
        except AnswersError as exc:
            print(f"Your saved choices cannot be read: {exc}")
            return
        lines = own_lines(game.result())
        display({"text/plain": own_words_text(lines), "text/html": own_words_html(lines)}, raw=True)

    def simulation_score(self, sim_id: str, criterion_id: str) -> float:
        """Points for one criterion, from replaying the saved choices: the value nbgrader records."""
        from alcourse.answers import AnswersError
        from alcourse.simulation.grading import score_criterion

        criterion = self._simulation(sim_id).criterion(criterion_id)
        try:
            game = self._replay(sim_id)
        except AnswersError:
            return 0.0
        return score_criterion(criterion.kind, criterion.points, criterion.bound, game.result()).points

    def unanswered(self) -> list[str]:
        """Plain-language list of what is still to do in this module."""
        todo = []
        for spec in self.module.simulations():
            try:
                game = self._replay(spec.id)
            except ValueError:
                todo.append(f"'{spec.title}': your saved choices cannot be read; ask your trainer")
                continue
            if not game.finished:
                todo.append(f"'{spec.title}': {len(game.result().meetings)} of {game.scenario.meetings} "
                            "meetings played")
        for exercise_spec in self.module.exercise_specs():
            exercise = self.curriculum.exercise(exercise_spec.id)
            result = exercise.check(self.store.graded(exercise_spec.id))
            if not result.complete:
                todo.append(f"'{exercise.title}': {result.total - result.answered} of "
                            f"{result.total} not answered")
        for reflection in self.module.reflections():
            problem = _length_problem(reflection, self.store.text(reflection.id))
            if problem:
                todo.append(f"'{reflection.title}': {problem}")
        return todo

    def hand_in(self) -> Any:
        """The Hand in step: one file with this notebook and its answers, for the trainer.

        Absent from a graded notebook (it has been handed in).
        """
        if _nbgrader_execution() == "autograde":
            return None
        from alcourse.widgets.handin import HandInWidget

        return HandInWidget(self.module.id, self.folder, self.module.notebook, self.module.answers_file,
                            todo=self.unanswered)

    def self_check(self) -> Any:
        """What is still unanswered before you hand in, with a button that looks again.

        Absent from a graded notebook: "before you hand in" is past, and the graded cells
        say what was answered.
        """
        if _nbgrader_execution() == "autograde":
            return None
        from alcourse.widgets.self_check import SelfCheckWidget

        return SelfCheckWidget(self.unanswered)


def reflection_grade_id(reflection_id: str) -> str:
    """nbgrader allows letters, digits, '-' and '_' in grade ids."""
    return "reflection-" + reflection_id.replace(".", "-")


def simulation_grade_id(sim_id: str, criterion_id: str) -> str:
    return f"simcheck-{sim_id.replace('.', '-')}-{criterion_id}"


def own_words_grade_id(sim_id: str) -> str:
    """The manually graded cell of a simulation's own words.

    >>> own_words_grade_id("m09.sim")
    'ownwords-m09-sim'
    """
    return "ownwords-" + sim_id.replace(".", "-")


def check_grade_id(exercise_id: str) -> str:
    return "check-" + exercise_id.replace(".", "-")


def written_grade_id(reflection_id: str) -> str:
    return "written-" + reflection_id.replace(".", "-")


def _length_problem(reflection: Reflection, text: str) -> str:
    """What is wrong with a written answer's length, in plain words; empty if nothing is."""
    from alcourse.widgets.written import length_note, word_count

    low, high = reflection.words
    count = word_count(text)
    if count == 0:
        return f"not written yet ({low} to {high} words asked for; type it in the box under the question)"
    if not low <= count <= high:
        return length_note(text, reflection.words)
    return ""


def _own_words(game: Any) -> list[str]:
    """The trainee's own words, each with the move they named it as: shown in the first progress
    cell, so they reach the trainer in formgrader for comment."""
    from alcourse.simulation.vocabulary import MOVE_LABELS

    said = [d for d in game.sim.decisions if d.intervention.own]
    if not said:
        return []
    return ["Your own words, for your trainer to comment on:"] + [
        f"Meeting {d.decision.meeting}, {d.decision.label.lower()}: \u201c{d.intervention.own}\u201d "
        f"(you named it: {MOVE_LABELS.get(d.intervention.move, d.intervention.move).split(':')[0]})"
        for d in said]

