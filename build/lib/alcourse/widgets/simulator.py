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

import html
from typing import Any, Protocol

import ipywidgets as widgets

from alcourse.curriculum.model import SimulationSpec
from alcourse.simulation.engine import ADVISER, DecisionRecord, Intervention
from alcourse.simulation.parameters import FIT, fit
from alcourse.simulation.play import Playthrough
from alcourse.simulation.scenario import load_scenario
from alcourse.simulation.transcript import line_text
from alcourse.simulation.vocabulary import DIRECTIVE, EVENTS, MOVE_LABELS, MOVES, TARGET_SET
from alcourse.widgets.feedback import BOX_STYLE, NEUTRAL_COLOUR, RIGHT_COLOUR, WRONG_COLOUR

PHASE_NAMES = {"check-in": "Check-in", "bids": "Bids for time", "account": "Presenter's account",
               "questions": "Questions", "summary": "Summary", "actions": "Actions",
               "review": "Process review"}


class Choices(Protocol):
    def path_of(self, sim_id: str) -> list[Intervention]: ...
    def save_path(self, sim_id: str, scenario_id: str, seed: int, path: Any, *,
                  rewound: bool = False) -> None: ...


def outcome_html(record: DecisionRecord, name: str) -> str:
    """Feedback on one decision: a symbol and a word, then what happened and why."""
    event = EVENTS[record.decision.event]
    move = record.intervention.move
    stage = record.decision.stage
    best = max(FIT.get(event.id, {}).items(), key=lambda kv: kv[1], default=(None, 0.0))[0]
    if record.outcome == "resolved":
        symbol, word, colour = "\u2714", "It worked.", RIGHT_COLOUR
        text = f"Your move dealt with the {event.label.lower()}."
    elif record.outcome == "set":
        symbol, word, colour = "\u25d1", "The set handled it.", RIGHT_COLOUR
        text = "You held back and a member named it themselves: the set is learning to run itself."
    elif move == "none":
        symbol, word, colour = "\u2718", "Left unchallenged.", WRONG_COLOUR
        text = f"You let the {event.label.lower()} pass and nobody in the set picked it up."
    else:
        symbol, word, colour = "\u2718", "It did not land this time.", WRONG_COLOUR
        text = f"The {event.label.lower()} carried on."
    better = best is not None and best != move and fit(event.id, move) < fit(event.id, best)
    if record.outcome == "unresolved" and better:
        text += f" A closer fit for this event: {MOVE_LABELS[best]}."
    if move in DIRECTIVE and stage != "hierarchical":
        text += f" Directive moves now cost the set some autonomy: it is {stage}."
    return (f'<div class="alcourse-sim-feedback" role="status" aria-live="polite" '
            f'style="{BOX_STYLE};color:{colour}">'
            f"<strong>{symbol} {html.escape(word)}</strong> {html.escape(text)}</div>")


class SimulatorWidget(widgets.VBox):
    """Play one simulated programme; the path is saved to ``choices`` at every step."""

    def __init__(self, spec: SimulationSpec, choices: Choices) -> None:
        self.spec = spec
        self.choices = choices
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
        self.target = widgets.Dropdown(description="Aimed at:", style={"description_width": "initial"})
        self.target.add_class("alcourse-target")
        self.choose_button = widgets.Button(description="Make this move", button_style="",
                                            tooltip="Make the chosen move at this moment")
        self.choose_button.add_class("alcourse-choose")
        self.choose_button.on_click(lambda _: self._on_choose())
        self.feedback = widgets.HTML()
        self.decision_box = widgets.VBox([self.cue, self.move, self.target, self.choose_button])
        self.rewind_to = widgets.Dropdown(description="Rewind to:", style={"description_width": "initial"},
                                          layout=widgets.Layout(width="auto"))
        self.rewind_to.add_class("alcourse-rewind-to")
        self.rewind_button = widgets.Button(description="Rewind and try another path",
                                            tooltip="Go back to the chosen decision; later choices are "
                                                    "replaced by what you choose next")
        self.rewind_button.add_class("alcourse-rewind")
        self.rewind_button.on_click(lambda _: self.rewind(self.rewind_to.value))
        self.debrief = widgets.HTML()
        intro = widgets.HTML(
            f"<h3>{html.escape(spec.title)}</h3><p>{html.escape(self.scenario.briefing)}</p>"
            f"<p>{html.escape(spec.instructions)}</p>")
        super().__init__([intro, self.status, self.turns_html,
                          widgets.HBox([self.next_button, self.skip_button]),
                          self.feedback, self.decision_box,
                          widgets.HBox([self.rewind_to, self.rewind_button]), self.debrief],
                         layout=widgets.Layout(width="100%"))
        for button in (self.next_button, self.skip_button, self.choose_button, self.rewind_button):
            button.layout.width = "auto"
        self.add_class("alcourse-simulator")
        self._refresh()

    # ----- what the trainee sees
    def _segment(self) -> list[tuple[Any, ...]]:
        index = len(self.game.path)
        return self.game.rows_since(index)

    def _line(self, row: tuple[Any, ...]) -> str:
        result = self.game.result()
        speaker = row[3]
        who = "You (set adviser)" if speaker == ADVISER else self.names.get(speaker, "The set")
        kind = row[4].replace("-", " ")
        return (f"<li><strong>{html.escape(who)}</strong> <em>({html.escape(kind)})</em>: "
                f"{html.escape(line_text(result, row))}</li>")

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
        self.status.value = f'<p role="status"><strong>{html.escape(where)}</strong></p>'
        items = "".join(self._line(row) for row in shown)
        remaining = len(segment) - len(shown)
        more = (f"<p><em>{remaining} more turn{'s' if remaining != 1 else ''} before the next "
                "decision.</em></p>") if remaining else ""
        listing = f'<ol class="alcourse-turns" aria-label="Turns in the meeting">{items}</ol>'
        self.turns_html.value = listing + more if items else more
        waiting = pending is not None and remaining == 0
        self.next_button.disabled = self.skip_button.disabled = remaining == 0
        self.decision_box.layout.display = "" if waiting else "none"
        if waiting:
            event = EVENTS[pending.event]
            self.cue.value = (f'<div class="alcourse-cue"><p><strong>\u25b6 Decision point: '
                              f"{html.escape(event.label)}.</strong> Cue: {html.escape(pending.cue)}</p>"
                              "<p>Choose your move and who it is aimed at, then press "
                              "<em>Make this move</em>.</p></div>")
            self.move.value = None
            options = [("The whole set", TARGET_SET)]
            options += [(self.names[m], m) for m in pending.present]
            self.target.options = options
            self.target.value = pending.member if pending.member in pending.present else TARGET_SET
        self.choose_button.disabled = not waiting
        decisions = [(f"Decision {d.decision.index + 1}: meeting {d.decision.meeting}, "
                      f"{EVENTS[d.decision.event].label.lower()} ({d.intervention.move})",
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
        lines = []
        for c in self.spec.criteria:
            got = score_criterion(c.kind, c.points, c.bound, result)
            symbol = "\u2714 Met" if got.met else ("\u25d1 Partly met" if got.points else "\u2718 Not met")
            lines.append(f"<strong>{symbol}:</strong> {html.escape(c.label)} "
                         f"<em>({html.escape(got.explanation)})</em>")
        self.debrief.value = debrief_html(debrief_from_result(result), extra=lines)

    # ----- what the trainee does (also used by tests and demos)
    def next_turn(self) -> None:
        """Show one more turn of the meeting."""
        self.revealed = min(self.revealed + 1, len(self._segment()))
        self._refresh()

    def skip(self) -> None:
        """Show every turn up to the next decision."""
        self.revealed = len(self._segment())
        self._refresh()

    def _on_choose(self) -> None:
        if self.move.value is None:
            self.feedback.value = (f'<div class="alcourse-sim-feedback" role="status" aria-live="polite" '
                                   f'style="{BOX_STYLE};color:{NEUTRAL_COLOUR}">'
                                   "<strong>\u2753 Choose a move first."
                                   "</strong> Pick one of the moves above (deliberately saying nothing is "
                                   "a move too).</div>")
            return
        self.choose(self.move.value, self.target.value or TARGET_SET)

    def choose(self, move: str, target: str = TARGET_SET) -> None:
        """Make a move at the pending decision; it is saved at once."""
        pending = self.game.pending
        if pending is None:
            return
        record = self.game.choose(Intervention(move, target))
        self.choices.save_path(self.spec.id, self.scenario.id, self.game.seed, self.game.path)
        self.last = record
        self.feedback.value = outcome_html(record, self.names.get(pending.member, ""))
        self.revealed = min(2, len(self._segment()))  # your own move and the first reaction to it
        self._refresh()

    def rewind(self, index: int | None) -> None:
        """Go back to decision ``index`` (0-based) and choose again from there; saved at once."""
        if index is None:
            return
        self.game = self.game.rewind(index)
        self.choices.save_path(self.spec.id, self.scenario.id, self.game.seed, self.game.path, rewound=True)
        self.revealed = len(self._segment())
        self.feedback.value = (f'<div class="alcourse-sim-feedback" role="status" aria-live="polite" '
                               f'style="{BOX_STYLE};color:{NEUTRAL_COLOUR}">'
                               "<strong>\u21ba Rewound</strong> to decision "
                               f"{index + 1}. Choose a different move to try another path.</div>")
        self._refresh()
