"""A programme's turns as a pandas DataFrame, one row per turn, with the words filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alcourse.simulation.texts import render
from alcourse.simulation.turns import Turn

if TYPE_CHECKING:
    from alcourse.simulation.engine import Result

TRANSCRIPT_COLUMNS = ["meeting", "phase", "presenter", "speaker", "turn_type", "seconds", "event",
                      "move", "target", "outcome", "text"]


def line_text(result: Result, row: Turn) -> str:
    """The words of one turn: scripted, typed by the trainee, or from a template."""
    if row.say:
        return str(row.say)
    if row.own:
        return row.own
    presenter, speaker, target = row.presenter, row.speaker, row.target
    key, index = row.text_key, row.text_index
    scenario = result.scenario
    names = {m.id: m.name for m in scenario.members}
    problem = action = ""
    who = presenter or speaker
    if who in names:
        spec = scenario.member(who)
        problem = spec.problem.title
        actions = spec.problem.actions or ("talk to the people involved",)
        action = actions[index % len(actions)]
        action = action[:1].lower() + action[1:]
    return render(key, index, scenario.own_lines, presenter=names.get(presenter, "you"),
                  name=names.get(target, target), target=names.get(target, "everyone"), problem=problem,
                  action=action)


def transcript_frame(result: Result) -> Any:
    import pandas as pd

    rows = [(row.meeting, row.phase, row.presenter, row.speaker, row.turn_type, row.seconds, row.event,
             row.move, row.target, row.outcome, line_text(result, row)) for row in result.rows]
    frame = pd.DataFrame(rows, columns=TRANSCRIPT_COLUMNS)
    names = {m.id: m.name for m in result.scenario.members}
    frame.insert(4, "name", frame["speaker"].map(lambda s: names.get(s, s.capitalize())))
    return frame
