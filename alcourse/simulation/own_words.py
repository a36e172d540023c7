"""The trainee's own words in a played programme, each with its moment, for the trainer to mark.

A trainee may type what they would say instead of choosing a wording; the move they chose
for it is the category they name it as (one of Heron's six, or a structural move). The
trainer reads each line in its moment (the meeting, the event, what was said just before)
and marks it by hand against the module's mark scheme.

>>> from alcourse.simulation import load_scenario
>>> from alcourse.simulation.play import Playthrough
>>> from alcourse.simulation.engine import Intervention
>>> game = Playthrough(load_scenario("primary-care-practice-managers"), None,
...                    [Intervention("catalytic", own="What would help you decide?")])
>>> [line] = own_lines(game.result())
>>> line.meeting, line.words, line.named
(1, 'What would help you decide?', 'Catalytic')
>>> own_lines(Playthrough(load_scenario("primary-care-practice-managers"), None, []).result())
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from alcourse.render import render
from alcourse.simulation.outcomes import ADVISER
from alcourse.simulation.transcript import line_text
from alcourse.simulation.vocabulary import MOVE_LABELS

if TYPE_CHECKING:
    from alcourse.simulation.engine import Result

NO_WORDS = "No own words were typed in this programme: every move used one of the offered wordings."


@dataclass(frozen=True)
class OwnLine:
    """One line the trainee typed, in its moment."""

    meeting: int
    moment: str
    """The event the trainee responded to, as the simulator names it (empty if none)."""
    before: str
    """Who spoke just before, and what they said ("Raj: ..."), or empty at a meeting's start."""
    words: str
    named: str
    """The move the trainee chose for these words: the category they named them as."""
    family: str
    """``heron``, ``structural`` or ``none`` (the kind of move named)."""


def own_lines(result: Result) -> list[OwnLine]:
    """Every adviser turn with the trainee's own words, in the order they were said."""
    book = result.scenario.rulebook()
    names = {m.id: m.name for m in result.scenario.members}
    lines = []
    previous = None
    for row in result.rows:
        if row.speaker == ADVISER and row.own:
            before = ""
            if previous is not None and previous.meeting == row.meeting:
                who = names.get(previous.speaker, "The set")
                before = f"{who}: {line_text(result, previous)}"
            event = book.events.get(row.event)
            move = book.moves.get(row.move)
            lines.append(OwnLine(row.meeting, event.label if event is not None else "", before, row.own,
                                 MOVE_LABELS.get(row.move, row.move).split(":")[0],
                                 move.family if move is not None else "none"))
        if row.speaker != ADVISER:
            previous = row
    return lines


HEADS = ("Meeting", "Moment", "Just before", "Your own words", "Category you named")


def own_words_html(lines: list[OwnLine], caption: str = "Your own words, for your trainer to mark") -> str:
    """A table of the lines (escaped), or a sentence saying there are none.

    >>> html = own_words_html([OwnLine(2, "Advice disguised as a question", "Raj: <Why not?>",
    ...                                "Raj, was that a question?", "Confronting", "heron")])
    >>> "&lt;Why not?&gt;" in html and "Confronting (Heron)" in html and "<caption" in html
    True
    >>> NO_WORDS in own_words_html([])
    True
    """
    return render("simulation/own-words.html.j2", lines=lines, caption=caption, heads=HEADS,
                  empty=NO_WORDS).strip()


def own_words_text(lines: list[OwnLine]) -> str:
    """The same as plain text (for a terminal, or nbgrader's text output).

    >>> print(own_words_text([OwnLine(1, "", "", "Go on.", "Supportive", "heron")]))
    Meeting 1, (no event); just before: (the meeting's start)
      Your own words: “Go on.” (named: Supportive, Heron)
    """
    if not lines:
        return NO_WORDS
    family = {"heron": ", Heron", "structural": ", structural move"}
    return "\n".join(f"Meeting {line.meeting}, {line.moment or '(no event)'}; just before: "
                     f"{line.before or '(the meeting' + chr(39) + 's start)'}\n"
                     f"  Your own words: \u201c{line.words}\u201d (named: {line.named}"
                     f"{family.get(line.family, '')})" for line in lines)
