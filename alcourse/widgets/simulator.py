"""The play widget: a simulated set meeting unfolds turn by turn; the trainee decides at each event.

All the logic is in :mod:`alcourse.simulation` (a :class:`Playthrough` replays
the saved path); this module only shows it. Controls are native, labelled form
controls (radio buttons, a select, buttons), reached with Tab and operated with
the keyboard. Feedback pairs a symbol with words and is announced politely to
screen readers; nothing is shown by colour alone.

>>> from alcourse.curriculum import load_curriculum
>>> from alcourse.simulation.play import MemoryChoices
>>> spec = load_curriculum().module("m09-simulated-set").simulations()[0]
>>> w = SimulatorWidget(spec, MemoryChoices())
>>> w.skip()
>>> first = w.game.pending
>>> w.choose("catalytic", first.member)
>>> len(w.game.path), w.rewind(0), len(w.game.path)
(1, None, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import ipywidgets as widgets

from alcourse.answers import StaleAnswersError
from alcourse.curriculum.model import SimulationSpec
from alcourse.render import part
from alcourse.simulation.engine import ADVISER, DecisionRecord, Intervention
from alcourse.simulation.play import Playthrough
from alcourse.simulation.rulebook import Rulebook, default_rulebook
from alcourse.simulation.scenario import Catalogue, load_scenario
from alcourse.simulation.texts import TEMPLATES, render
from alcourse.simulation.transcript import line_text
from alcourse.simulation.turns import Turn
from alcourse.simulation.vocabulary import DIRECTIVE, MOVE_LABELS, MOVES, TARGET_SET
from alcourse.widgets.feedback import BOX_STYLE, NEUTRAL_COLOUR, RIGHT_COLOUR, WRONG_COLOUR

TEMPLATE = "widgets/simulator.html.j2"

MAX_OWN = 600
"""Characters kept of a trainee's own words for one move."""

PHASE_NAMES = {"check-in": "Check-in", "bids": "Bids for time", "account": "Presenter's account",
               "questions": "Questions", "summary": "Summary", "actions": "Actions",
               "review": "Process review"}


@dataclass(frozen=True)
class ProgressNote:
    """A few sentences for a notebook cell: HTML in a notebook, plain text elsewhere.

    >>> print(ProgressNote(("One <b>.", "Two.")))
    One <b>.
    Two.
    >>> ProgressNote(("One <b>.",))._repr_html_().count("&lt;b&gt;")
    1
    """

    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def _repr_html_(self) -> str:
        return part(TEMPLATE, "note", lines=self.lines)


class Choices(Protocol):
    def path_of(self, sim_id: str) -> list[Intervention]: ...
    def save_path(self, sim_id: str, scenario_id: str, seed: int, path: Any, *,
                  rewound: bool = False) -> None: ...


def outcome_html(record: DecisionRecord, name: str, book: Rulebook | None = None) -> str:
    """Feedback on one decision: a symbol and a word, then what happened and why.

    Event labels carry their own article ("A member withdrawing"), so the text
    names the event in brackets or uses its own ``persists`` sentence.
    """
    book = book or default_rulebook()
    event = book.events[record.decision.event]
    move = record.intervention.move
    stage = record.decision.stage
    label = event.label[:1].lower() + event.label[1:]
    best_fit = max(event.fit.values(), default=0.0)
    best = max(event.fit.items(), key=lambda kv: kv[1], default=(None, 0.0))[0]
    fit = book.fit
    persists = event.persists.format(name=name or "The member")
    if record.outcome == "resolved":
        symbol, word, colour = "\u2714", "It worked.", RIGHT_COLOUR
        text = f"Your move dealt with it ({label})."
    elif record.outcome == "set":
        symbol, word, colour = "\u25d1", "The set handled it.", RIGHT_COLOUR
        text = "You held back and a member named it themselves: the set is learning to run itself."
    elif move == "none":
        symbol, word, colour = "\u2718", "Left unchallenged.", WRONG_COLOUR
        text = f"You let it pass ({label}) and nobody in the set picked it up. {persists}"
    else:
        symbol, word, colour = "\u2718", "It did not land this time.", WRONG_COLOUR
        text = persists
        if record.reasons:
            text += " It had less chance than usual because " + "; and ".join(record.reasons) + "."
        elif fit(event.id, move) >= best_fit - 0.1:
            text += (f" The move fitted well (it works about {_in_ten(record.chance)} times in 10 at "
                     "this moment), but people do not always respond as hoped: a good move can still "
                     "miss. Try it again at the next chance, or rewind and compare.")
    if (record.outcome == "unresolved" and best is not None and best != move
            and fit(event.id, move) < fit(event.id, best)):
        text += f" A closer fit for this event: {book.moves[best].label}."
    if move in DIRECTIVE and stage != "hierarchical":
        text += f" Directive moves now cost the set some autonomy: it is {stage}."
    return part(TEMPLATE, "feedback", box=BOX_STYLE, colour=colour, strong=f"{symbol} {word}", text=text)


def _in_ten(chance: float) -> int:
    return max(1, min(9, round(chance * 10)))


class SimulatorWidget(widgets.VBox):
    """Play one simulated programme; the path is saved to ``choices`` at every step."""

    def __init__(self, spec: SimulationSpec, choices: Choices, catalogue: Catalogue | None = None) -> None:
        self.spec = spec
        self.choices = choices
        self.catalogue = catalogue
        saved = getattr(choices, "scenario_of", lambda _: "")(spec.id)
        if catalogue is not None and saved in catalogue.scenarios:
            self.scenario = catalogue.scenarios[saved]
        else:
            self.scenario = load_scenario(spec.scenario)
        self.names = {m.id: m.name for m in self.scenario.members}
        self.game = Playthrough(self.scenario, spec.seed or None, choices.path_of(spec.id))
        self.revealed = 0
        self.last: DecisionRecord | None = None

        self.status = widgets.HTML()
        self.turns_html = widgets.HTML()
        self.next_button = widgets.Button(description="Next turn", tooltip="Show the next turn",
                                          icon="")
        self.skip_button = widgets.Button(description="Skip to the decision",
                                          tooltip="Show every turn up to the next decision")
        self.next_button.add_class("alcourse-next-turn")
        self.skip_button.add_class("alcourse-skip")
        self.next_button.on_click(lambda _: self.next_turn())
        self.skip_button.on_click(lambda _: self.skip())
        self.cue = widgets.HTML()
        self.move = widgets.RadioButtons(options=[(MOVE_LABELS[m], m) for m in MOVES], value=None,
                                         description="Your move:", layout=widgets.Layout(width="auto"),
                                         style={"description_width": "initial"})
        self.move.add_class("alcourse-move")
        self.move.observe(lambda _: self._offer_wordings(), names="value")
        self.wording = widgets.Dropdown(description="Your words:", style={"description_width": "initial"},
                                        layout=widgets.Layout(width="auto"))
        self.wording.add_class("alcourse-wording")
        # the move chosen above is the category the trainee names their own words as: said in
        # visible text, not only in the placeholder (which disappears as they type)
        self.own_hint = widgets.HTML(part(TEMPLATE, "own_hint"))
        self.own = widgets.Textarea(description="Or your own words:", placeholder="Type what you would say "
                                    "(optional).",
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="90%"))
        self.own.add_class("alcourse-own-words")
        self.target = widgets.Dropdown(description="Aimed at:", style={"description_width": "initial"})
        self.target.add_class("alcourse-target")
        self.target.observe(lambda _: self._offer_wordings(), names="value")
        self.choose_button = widgets.Button(description="Make this move", button_style="",
                                            tooltip="Make the chosen move at this moment")
        self.choose_button.add_class("alcourse-choose")
        self.choose_button.on_click(lambda _: self._on_choose())
        self.feedback = widgets.HTML()
        self.decision_box = widgets.VBox([self.cue, self.move, self.target, self.wording, self.own_hint,
                                          self.own, self.choose_button])
        self.rewind_to = widgets.Dropdown(description="Rewind to:", style={"description_width": "initial"},
                                          layout=widgets.Layout(width="auto"))
        self.rewind_to.add_class("alcourse-rewind-to")
        self.rewind_button = widgets.Button(description="Rewind and try another path",
                                            tooltip="Go back to the chosen decision; later choices are "
                                                    "replaced by what you choose next")
        self.rewind_button.add_class("alcourse-rewind")
        self.rewind_button.on_click(lambda _: self.rewind(self.rewind_to.value))
        self.debrief = widgets.HTML()
        self.intro = widgets.HTML()
        self.pick_scenario = widgets.Dropdown(
            description="Set to facilitate:", style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", display="" if catalogue is not None else "none"),
            options=[(s.title, sid) for sid, s in (catalogue.scenarios.items() if catalogue else ())]
            or [(self.scenario.title, self.scenario.id)],
            value=self.scenario.id)
        self.pick_scenario.add_class("alcourse-pick-scenario")
        self.pick_scenario.observe(lambda change: self.switch_scenario(change["new"]), names="value")
        self._show_intro()
        super().__init__([self.intro, self.pick_scenario, self.status, self.turns_html,
                          widgets.HBox([self.next_button, self.skip_button]),
                          self.feedback, self.decision_box,
                          widgets.HBox([self.rewind_to, self.rewind_button]), self.debrief],
                         layout=widgets.Layout(width="100%"))
        for button in (self.next_button, self.skip_button, self.choose_button, self.rewind_button):
            button.layout.width = "auto"
        self.add_class("alcourse-simulator")
        self._refresh()

    # ----- what the trainee sees
    def _show_intro(self) -> None:
        self.intro.value = part(TEMPLATE, "intro", title=self.spec.title, briefing=self.scenario.briefing,
                                instructions=self.spec.instructions,
                                problems=self.catalogue.problems if self.catalogue else ())

    def _offer_wordings(self) -> None:
        move = self.move.value
        pending = self.game.pending
        if move is None or move == "none" or pending is None:
            self.wording.options, self.wording.layout.display = [], "none"
            return
        lines = self.scenario.own_lines.get(move) or TEMPLATES.get(move, ())
        target = self.names.get(self.target.value or "", "everyone")
        presenter = self.names.get(pending.presenter, "you")
        options = [(render(move, i, self.scenario.own_lines, target=target, presenter=presenter), i)
                   for i in range(len(lines))]
        self.wording.options = options
        self.wording.value = options[0][1] if options else None
        self.wording.layout.display = "" if len(options) > 1 else "none"

    def _segment(self) -> list[Turn]:
        index = len(self.game.path)
        return self.game.rows_since(index)

    def _line(self, row: Turn) -> tuple[str, str]:
        result = self.game.result()
        speaker = row.speaker
        # No turn-type tag: naming "advice question" beside the line would do the noticing for the trainee.
        who = "You" if speaker == ADVISER else self.names.get(speaker, "The set")
        return who, line_text(result, row)

    def _refresh(self) -> None:
        game = self.game
        segment = self._segment()
        shown = segment[:self.revealed]
        pending = game.pending
        if pending is not None:
            phase = PHASE_NAMES.get(pending.phase, pending.phase)
            where = (f"Meeting {pending.meeting} of {self.scenario.meetings} \u00b7 {phase} \u00b7 "
                     f"decision {pending.index + 1} \u00b7 the set is {pending.stage}")
        else:
            where = f"All {self.scenario.meetings} meetings played \u00b7 {len(game.path)} decisions"
        self.status.value = part(TEMPLATE, "status", where=where)
        remaining = len(segment) - len(shown)
        until = "the end of the programme" if pending is None else "the next decision"
        self.turns_html.value = part(TEMPLATE, "turns", lines=[self._line(row) for row in shown],
                                     remaining=remaining, until=until)
        waiting = pending is not None and remaining == 0
        self.next_button.disabled = self.skip_button.disabled = remaining == 0
        self.skip_button.description = "Skip to the end" if pending is None else "Skip to the decision"
        self.decision_box.layout.display = "" if waiting else "none"
        if pending is not None and waiting:
            self.cue.value = part(TEMPLATE, "cue", label=pending.label, text=pending.cue)
            self.move.value = None
            options = [("The whole set", TARGET_SET)]
            options += [(self.names[m], m) for m in pending.present]
            self.target.options = options
            self.target.value = pending.member if pending.member in pending.present else TARGET_SET
        self.choose_button.disabled = not waiting
        decisions = [(f"Decision {d.decision.index + 1}: meeting {d.decision.meeting}, "
                      f"{d.decision.label.lower()} ({d.intervention.move})",
                      d.decision.index) for d in game.sim.decisions]
        self.rewind_to.options = decisions
        self.rewind_to.disabled = self.rewind_button.disabled = not decisions
        if decisions:
            self.rewind_to.value = decisions[-1][1]
        if game.finished:
            self._show_debrief()
        else:
            self.debrief.value = ""

    def _show_debrief(self) -> None:
        from alcourse.analysis.debrief import debrief_from_result, debrief_html
        from alcourse.simulation.grading import score_criterion

        result = self.game.result()
        criteria = []
        for c in self.spec.criteria:
            got = score_criterion(c.kind, c.points, c.bound, result)
            verdict = "\u2714 Met" if got.met else ("\u25d1 Partly met" if got.points else "\u2718 Not met")
            criteria.append((verdict, c.label, got.explanation))
        self.debrief.value = debrief_html(debrief_from_result(result), criteria=criteria)

    def _say(self, strong: str, text: str) -> None:
        self.feedback.value = part(TEMPLATE, "feedback", box=BOX_STYLE, colour=NEUTRAL_COLOUR, strong=strong,
                                   text=text)

    # ----- what the trainee does (also used by tests and demos)
    def next_turn(self) -> None:
        """Show one more turn of the meeting."""
        self.revealed = min(self.revealed + 1, len(self._segment()))
        self._refresh()

    def skip(self) -> None:
        """Show every turn up to the next decision."""
        self.revealed = len(self._segment())
        self._refresh()

    def switch_scenario(self, scenario_id: str) -> None:
        """Facilitate another set (only before the first decision: the path belongs to one set)."""
        if self.catalogue is None or scenario_id == self.scenario.id:
            return
        if self.game.path:
            self._say("\u2753 Rewind to the start first.", "Your choices belong to the set you are "
                      f"facilitating ({self.scenario.title}); rewind to decision 1 to choose another set.")
            self.pick_scenario.value = self.scenario.id
            return
        self.scenario = self.catalogue.scenarios[scenario_id]
        self.names = {m.id: m.name for m in self.scenario.members}
        self.game = Playthrough(self.scenario, self.spec.seed or None)
        if not self._save():
            return
        self.revealed = 0
        self.feedback.value = ""
        self._show_intro()
        self._refresh()

    def _on_choose(self) -> None:
        if self.move.value is None:
            self._say("\u2753 Choose a move first.",
                      "Pick one of the moves above (deliberately saying nothing is a move too).")
            return
        if self.move.value == "none" and self.own.value.strip():
            self._say("\u2753 Deliberate silence has no words.",
                      "Choose the move your own words make (that names their category), or clear the box "
                      "to say nothing.")
            return
        self.choose(self.move.value, self.target.value or TARGET_SET,
                    wording=self.wording.value if self.wording.value is not None else -1,
                    own=self.own.value.strip())

    def choose(self, move: str, target: str = TARGET_SET, *, wording: int = -1, own: str = "") -> None:
        """Make a move at the pending decision (in one of its wordings, or the trainee's own
        words); it is saved at once."""
        pending = self.game.pending
        if pending is None:
            return
        record = self.game.choose(Intervention(move, target, own=own[:MAX_OWN], wording=wording))
        self.own.value = ""
        if not self._save():
            return
        self.last = record
        self.feedback.value = outcome_html(record, self.names.get(pending.member, ""), self.game.sim.book)
        self.revealed = min(2, len(self._segment()))  # your own move and the first reaction to it
        self._refresh()

    def _save(self, rewound: bool = False) -> bool:
        """Save the path; if another tab or window saved newer work, show that instead, unchanged."""
        try:
            self.choices.save_path(self.spec.id, self.scenario.id, self.game.seed, self.game.path,
                                   rewound=rewound)
        except StaleAnswersError:
            saved = getattr(self.choices, "scenario_of", lambda _: "")(self.spec.id)
            if self.catalogue is not None and saved in self.catalogue.scenarios:
                self.scenario = self.catalogue.scenarios[saved]  # the saved game's own set
                self.names = {m.id: m.name for m in self.scenario.members}
                self._show_intro()
                self.pick_scenario.value = saved
            self.game = Playthrough(self.scenario, self.game.seed, self.choices.path_of(self.spec.id))
            self.revealed = len(self._segment())
            self._say("\u21bb Caught up with your saved game.",
                      f"You had played further in another tab or window ({len(self.game.path)} decisions "
                      "saved). Nothing was overwritten: this is your saved game. Make your move again if "
                      "you still want it.")
            self._refresh()
            return False
        return True

    def rewind(self, index: int | None) -> None:
        """Go back to decision ``index`` (0-based) and choose again from there; saved at once."""
        if index is None:
            return
        self.game = self.game.rewind(index)
        if not self._save(rewound=True):
            return
        self.revealed = len(self._segment())
        self._say("\u21ba Rewound", f"to decision {index + 1}. Choose a different move to try another path.")
        self._refresh()
