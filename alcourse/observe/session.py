"""What an observer records during a practice set: who speaks, what kind of turn, the adviser's moves.

Pure logic, no widgets and no files: a :class:`Session` is immutable, and each
``add``/``undo`` returns a new one, so a widget, a CLI and a test drive it alike.
A turn lasts until the next turn starts (a note does not end a turn).

>>> s = Session(members=("Ann", "Bo"))
>>> s = s.turn(0.0, "Ann", "open-question").turn(12.5, "Bo", "advice-question")
>>> s = s.intervene(20.0, "catalytic", target="Bo").note(21.0, "Bo laughed").end(30.0)
>>> [(r.speaker, r.turn_type, r.seconds) for r in s.rows() if r.kind != "note"]
[('Ann', 'open-question', 12.5), ('Bo', 'advice-question', 7.5), ('adviser', 'adviser', 10.0)]
>>> len(s.undo().events)
3
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from alcourse.simulation.vocabulary import HERON, STRUCTURAL, TARGET_SET

ADVISER = "adviser"
SET = "set"
"""The speaker of a silence, and the target of an intervention to the whole set."""
NOTE = "note"
INTERVENTION = "intervention"
SILENCE = "silence"


@dataclass(frozen=True)
class Kind:
    """A kind of event an observer codes, the key that codes it, and its word in the analysis log."""

    id: str
    label: str
    key: str
    turn_type: str
    """The turn type :mod:`alcourse.analysis` reads (its vocabulary is coarser)."""


MEMBER_KINDS: tuple[Kind, ...] = (
    Kind("open-question", "Open question", "o", "open-question"),
    Kind("closed-question", "Closed question", "c", "closed-question"),
    Kind("probing-question", "Probing question", "p", "open-question"),
    Kind("clarifying-question", "Clarifying question", "k", "closed-question"),
    Kind("leading-question", "Leading question", "l", "closed-question"),
    Kind("advice", "Advice", "a", "advice"),
    Kind("advice-question", "Advice disguised as a question", "d", "advice-question"),
    Kind("statement", "Statement", "s", "comment"),
)
"""A member's turn. Probing questions count as open, clarifying and leading ones as closed."""
SILENCE_KIND = Kind(SILENCE, "Silence (a few seconds or more)", "z", "silence")
QUESTION_KINDS = tuple(k.id for k in MEMBER_KINDS if k.id.endswith("-question"))
TURN_KINDS: dict[str, Kind] = {k.id: k for k in (*MEMBER_KINDS, SILENCE_KIND)}

HERON_KEYS: dict[str, str] = {"prescriptive": "r", "informative": "i", "confronting": "f",
                              "cathartic": "h", "catalytic": "t", "supportive": "u"}
"""One key per Heron category (the letter that is free: pRescriptive, conFronting, catHartic...)."""
MOVES = (*HERON, *STRUCTURAL)
ALL_KINDS = (*TURN_KINDS, INTERVENTION, NOTE)


@dataclass(frozen=True)
class Event:
    """One coded moment. ``at`` is seconds since the session started."""

    at: float
    kind: str
    speaker: str = ""
    move: str = ""
    """Heron category (or structural move) of an adviser intervention."""
    target: str = ""
    """Whom an intervention addressed: a member's name or ``set``."""
    note: str = ""


@dataclass(frozen=True)
class Row:
    """One line of the saved log (see :mod:`alcourse.observe.log`)."""

    meeting: int
    speaker: str
    turn_type: str
    seconds: float
    move: str
    at: float
    kind: str
    target: str
    note: str


@dataclass(frozen=True)
class Session:
    """A set meeting as one observer coded it."""

    members: tuple[str, ...]
    meeting: int = 1
    observer: str = ""
    events: tuple[Event, ...] = ()
    ended_at: float | None = None
    started: float | None = None
    """Wall-clock time (seconds since the epoch) at which the observer started the clock."""

    def __post_init__(self) -> None:
        names = [m.strip() for m in self.members]
        if not names or any(not n for n in names):
            raise ValueError("members: give at least one name, none empty")
        if any(";" in n or "\n" in n for n in names):
            raise ValueError("members: a name may not contain ';' or a line break")
        lowered = [n.lower() for n in names]
        if len(set(lowered)) != len(lowered):
            raise ValueError("members: a name appears twice; give each member once")
        clash = {ADVISER, SET} & set(lowered)
        if clash:
            raise ValueError(f"members: {sorted(clash)[0]!r} is reserved; give the member's name")
        if not 1 <= self.meeting <= 99:
            raise ValueError(f"meeting: is {self.meeting}; allowed: a whole number from 1 to 99")

    # --- recording
    def add(self, event: Event) -> Session:
        """The session with ``event`` added; ValueError says what is wrong with it."""
        check_event(event, self.members)
        if self.events and event.at < self.events[-1].at:
            raise ValueError(f"at: is {event.at:.1f} s, before the previous event "
                             f"({self.events[-1].at:.1f} s); events are in time order")
        return replace(self, events=(*self.events, event), ended_at=None)

    def turn(self, at: float, speaker: str, kind: str) -> Session:
        """A member's turn (or a silence, whose speaker is ``set``)."""
        return self.add(Event(at, kind, SET if kind == SILENCE else speaker))

    def intervene(self, at: float, move: str, target: str = SET) -> Session:
        """An intervention by the adviser, with its Heron category and whom it addressed."""
        return self.add(Event(at, INTERVENTION, ADVISER, move=move, target=target))

    def note(self, at: float, text: str) -> Session:
        """A free note at any moment; it does not end the turn in progress."""
        return self.add(Event(at, NOTE, note=text))

    def undo(self) -> Session:
        """The session without its last event (unchanged if there is none)."""
        return replace(self, events=self.events[:-1], ended_at=None) if self.events else self

    def end(self, at: float) -> Session:
        """The session closed at ``at``: the last turn lasts until then."""
        if self.events and at < self.events[-1].at:
            raise ValueError("at: the end is before the last event")
        return replace(self, ended_at=at)

    # --- reading
    def turns(self) -> list[Event]:
        return [e for e in self.events if e.kind != NOTE]

    def rows(self, now: float | None = None) -> list[Row]:
        """The log rows: each turn lasts until the next turn, the last until the end (or ``now``)."""
        stop = self.ended_at if self.ended_at is not None else now
        starts = [e.at for e in self.events if e.kind != NOTE]
        rows = []
        turn = 0
        for e in self.events:
            if e.kind == NOTE:
                rows.append(Row(self.meeting, "", "", 0.0, "", e.at, NOTE, "", e.note))
                continue
            turn += 1
            end = starts[turn] if turn < len(starts) else stop if stop is not None else e.at
            turn_type = "adviser" if e.kind == INTERVENTION else TURN_KINDS[e.kind].turn_type
            rows.append(Row(self.meeting, e.speaker, turn_type, round(max(0.0, end - e.at), 3), e.move,
                            e.at, e.kind, e.target, e.note))
        return rows


def check_event(event: Event, members: tuple[str, ...]) -> None:
    """Raise ValueError (``field: what is wrong``) unless ``event`` fits a session of ``members``."""
    if event.kind not in ALL_KINDS:
        raise ValueError(f"kind: is {event.kind!r}; allowed: {', '.join(ALL_KINDS)}")
    if event.at < 0:
        raise ValueError(f"at: is {event.at}; allowed: seconds from 0")
    if event.kind == NOTE:
        if not event.note.strip():
            raise ValueError("note: is empty; write the note")
        return
    if event.kind == INTERVENTION:
        if event.speaker != ADVISER:
            raise ValueError(f"speaker: is {event.speaker!r}; an intervention is the adviser's")
        if event.move not in MOVES:
            raise ValueError(f"move: is {event.move!r}; allowed: {', '.join(MOVES)}")
        if event.target not in (*members, TARGET_SET):
            raise ValueError(f"target: is {event.target!r}; allowed: set or one of {', '.join(members)}")
        return
    if event.move or event.target:
        raise ValueError("move: only the adviser's interventions have a move and a target")
    if event.kind == SILENCE:
        if event.speaker != SET:
            raise ValueError("speaker: a silence belongs to the whole set (speaker 'set')")
        return
    if event.speaker not in members:
        raise ValueError(f"speaker: {event.speaker!r} is not a member of this set; members: "
                         f"{', '.join(members)}")
