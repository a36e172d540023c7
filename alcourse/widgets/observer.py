"""The observer widget: code a live set meeting with one key or one tap per event.

Who speaks is chosen with a digit (1-9 for the members in order, 0 for the whole set)
or by tapping their name; it stays chosen. Then one key or tap logs the event: a
turn's kind for that member, a silence, or the adviser's intervention (its Heron
category) addressed to that member or the set. Backspace in the key field (or the
Undo button) removes the last event. The log is saved atomically after each event
(:mod:`alcourse.observe.log`), and opening the app again carries on from it.

Keys are typed into one labelled text field, a native control every browser,
screen reader and on-screen keyboard can use; every key has a button too (at least
32 px high). The logic is in :mod:`alcourse.observe`; this module only shows it.

>>> import tempfile, pathlib
>>> log = pathlib.Path(tempfile.mkdtemp()) / "kim.csv"
>>> ticks = iter([100.0, 101.0, 103.0, 110.0, 112.0])
>>> app = ObserverApp(["Ann", "Bo"], "Kim", log=log, clock=lambda: next(ticks))
>>> app.start(); app.type_keys("1o2d")
>>> [(e.speaker, e.kind, e.at) for e in app.session.events]
[('Ann', 'open-question', 1.0), ('Bo', 'advice-question', 3.0)]
>>> from alcourse.observe.log import load
>>> load(log).events == app.session.events
True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from alcourse.observe.log import load, save
from alcourse.observe.session import (
    HERON_KEYS,
    MEMBER_KINDS,
    SET,
    SILENCE_KIND,
    Session,
)
from alcourse.render import part

OBSERVE = "widgets/observe.html.j2"
BUTTON = widgets.Layout(min_height="32px", width="auto", margin="2px")
HERON_BY_KEY = {key: move for move, key in HERON_KEYS.items()}
KIND_BY_KEY = {k.key: k for k in (*MEMBER_KINDS, SILENCE_KIND)}


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


class ObserverApp(widgets.VBox):
    """Code one session into ``log`` (a CSV). ``clock`` gives wall-clock seconds (tests pass their own)."""

    def __init__(self, members: list[str], observer: str = "", meeting: int = 1,
                 log: str | Path = "observation.csv", clock: Callable[[], float] = time.time) -> None:
        self.log_path = Path(log)
        self.clock = clock
        if self.log_path.exists():
            self.session = load(self.log_path)
            resumed = f"Carrying on from the saved log ({len(self.session.events)} events)."
        else:
            self.session = Session(tuple(members), meeting, observer)
            resumed = ""
        self.who: str | None = None
        self._typed = ""
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        self.status.add_class("alcourse-observer-status")
        self.recent = widgets.HTML()
        self.recent.add_class("alcourse-observer-recent")
        self.key_field = widgets.Text(description="Key entry",
                                      placeholder="click here, then type a key per event",
                                      continuous_update=True, style={"description_width": "initial"},
                                      layout=widgets.Layout(width="28em"))
        self.key_field.add_class("alcourse-observer-keys")
        self.key_field.observe(self._on_keys, names="value")
        self.start_button = self._button("Start the clock", self._start, "alcourse-observer-start")
        self.member_buttons = {name: self._button(f"{i}: {name}", partial(self.choose, name),
                                                  "alcourse-observer-member")
                               for i, name in enumerate(self.session.members, start=1)}
        self.set_button = self._button("0: whole set", lambda: self.choose(SET), "alcourse-observer-member")
        self.kind_buttons = {k.id: self._button(f"{k.key}: {k.label}", partial(self._kind, k),
                                                "alcourse-observer-kind")
                             for k in (*MEMBER_KINDS, SILENCE_KIND)}
        self.heron_buttons = {move: self._button(f"{key}: {move}", partial(self._heron, move),
                                                 "alcourse-observer-heron")
                              for move, key in HERON_KEYS.items()}
        kinds, herons = list(self.kind_buttons.values()), list(self.heron_buttons.values())
        self.note_field = widgets.Text(description="Note", placeholder="type a note, then press Enter",
                                       continuous_update=False, layout=widgets.Layout(width="28em"))
        self.note_field.add_class("alcourse-observer-note")
        self.note_field.observe(self._on_note, names="value")
        undo = self._button("Undo the last event", self.undo, "alcourse-observer-undo")
        end = self._button("End the session and show the debrief", self.end, "alcourse-observer-end")
        self.debrief = widgets.HTML()
        self.debrief.add_class("alcourse-observer-debrief")
        help_text = widgets.HTML(part(OBSERVE, "observer_help", kinds=MEMBER_KINDS,
                                             silence=SILENCE_KIND, herons=HERON_KEYS))
        box = widgets.Box
        as_who = f" as {self.session.observer}" if self.session.observer else ""
        super().__init__([
            self._heading(2, f"Observing meeting {self.session.meeting}{as_who}"),
            help_text, self.start_button, self.key_field, self.status,
            self._heading(3, "Who"), box([*self.member_buttons.values(), self.set_button],
                                             layout=widgets.Layout(flex_flow="row wrap")),
            self._heading(3, "Members' turns"), box(kinds, layout=widgets.Layout(flex_flow="row wrap")),
            self._heading(3, "Adviser's interventions (Heron)"),
            box(herons, layout=widgets.Layout(flex_flow="row wrap")),
            self.note_field, box([undo, end], layout=widgets.Layout(flex_flow="row wrap")),
            self.recent, self.debrief])
        self.add_class("alcourse-observer")
        if self.session.started is not None:
            self.start_button.disabled = True
        self._say(resumed or "Press 'Start the clock' when the meeting starts.")
        self._show_recent()

    def _heading(self, level: int, text: str) -> widgets.HTML:
        return widgets.HTML(part(OBSERVE, "heading", level=level, text=text))

    def _button(self, text: str, action: Callable[[], None], css: str) -> widgets.Button:
        b = widgets.Button(description=text, layout=BUTTON, tooltip=text)
        b.add_class(css)
        b.on_click(lambda _b: action())
        return b

    # --- time and saving
    def now(self) -> float:
        if self.session.started is None:
            self.start()
        return round(self.clock() - (self.session.started or 0.0), 1)

    def start(self) -> None:
        """Start the clock (once): event times are seconds from now."""
        if self.session.started is None:
            from dataclasses import replace

            self.session = replace(self.session, started=round(self.clock(), 3))
            self.start_button.disabled = True
            save(self.session, self.log_path)
            self._say("The clock is running. Choose who speaks, then code each event.")

    def _start(self) -> None:
        self.start()

    def _commit(self, session: Session, said: str) -> None:
        save(session, self.log_path)  # saved before it shows: what is on screen is on disk
        self.session = session
        self._say(said)
        self._show_recent()

    def _say(self, text: str) -> None:
        self.status.value = part(OBSERVE, "status", text=text)

    def _show_recent(self) -> None:
        last = self.session.events[-5:]
        self.recent.value = part(OBSERVE, "recent", events=[(e.at, self._describe(e)) for e in last],
                                        total=len(self.session.events))

    @staticmethod
    def _describe(e: object) -> str:
        from alcourse.observe.session import INTERVENTION, NOTE, TURN_KINDS, Event

        assert isinstance(e, Event)
        if e.kind == NOTE:
            return f"note: {e.note}"
        if e.kind == INTERVENTION:
            return f"adviser: {e.move} to {'the set' if e.target == SET else e.target}"
        return f"{e.speaker}: {TURN_KINDS[e.kind].label.lower()}"

    # --- actions (keys and buttons both come here)
    def choose(self, who: str) -> None:
        """Choose who speaks next (a member) or whom the adviser addresses (a member or ``set``)."""
        self.who = who
        for name, b in (*self.member_buttons.items(), (SET, self.set_button)):
            # the state is in the words (no colour, no icon font): "(chosen)" is read out too
            base = b.tooltip
            b.description = f"{base} (chosen)" if name == who else base
        self._say(f"Chosen: {'the whole set' if who == SET else who}.")

    def _kind(self, kind: object) -> None:
        from alcourse.observe.session import Kind

        assert isinstance(kind, Kind)
        if kind is SILENCE_KIND:
            self._record(lambda at: self.session.turn(at, SET, kind.id))
            return
        if self.who in (None, SET):
            self._say(f"Choose a member first (1-{len(self.session.members)}), then '{kind.key}'.")
            return
        who = self.who
        self._record(lambda at: self.session.turn(at, who, kind.id))

    def _heron(self, move: str) -> None:
        target = self.who or SET
        self._record(lambda at: self.session.intervene(at, move, target))

    def _record(self, make: Callable[[float], Session]) -> None:
        try:
            session = make(self.now())
        except ValueError as exc:
            self._say(f"Not logged: {exc}")
            return
        self._commit(session, f"Logged {len(session.events)}: {self._describe(session.events[-1])} "
                              f"at {_clock(session.events[-1].at)}.")

    def undo(self) -> None:
        """Remove the last event (and save)."""
        if not self.session.events:
            self._say("Nothing to undo.")
            return
        gone = self.session.events[-1]
        self._commit(self.session.undo(), f"Undone: {self._describe(gone)}.")

    def note(self, text: str) -> None:
        if text.strip():
            self._record(lambda at: self.session.note(at, text.strip()))

    def end(self) -> None:
        """Close the session at the current time, save, and show the debrief."""
        from alcourse.observe.debrief import debrief_fragment

        if not self.session.turns():
            self._say("Nothing coded yet: code some events before ending.")
            return
        ended = self.session.end(max(self.now(), self.session.events[-1].at))
        self._commit(ended, "Session ended and saved.")
        self.debrief.value = debrief_fragment(self.session)

    def press(self, ch: str) -> None:
        """Act on one key."""
        if ch.isdigit():
            index = int(ch)
            if index == 0:
                self.choose(SET)
            elif index <= len(self.session.members):
                self.choose(self.session.members[index - 1])
            else:
                self._say(f"There is no member {index}.")
        elif ch.lower() in KIND_BY_KEY:
            self._kind(KIND_BY_KEY[ch.lower()])
        elif ch.lower() in HERON_BY_KEY:
            self._heron(HERON_BY_KEY[ch.lower()])
        elif not ch.isspace():
            self._say(f"'{ch}' is not a key here; see the list of keys above.")

    def type_keys(self, typed: str) -> None:
        """Act on several keys in order (what typing them into the key field does)."""
        for ch in typed:
            self.press(ch)

    def _on_keys(self, change: dict[str, Any]) -> None:
        new, old = change["new"], self._typed
        self._typed = new
        if len(new) < len(old):  # the field got shorter: Backspace (or a cut) means undo, once
            self.undo()
            return
        # the keys typed are what was inserted, wherever the caret was
        start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
        self.type_keys(new[start:start + len(new) - len(old)])

    def _on_note(self, change: dict[str, Any]) -> None:
        if change["new"].strip():
            self.note(change["new"])
            self.note_field.value = ""
