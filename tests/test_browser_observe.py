"""The observer app in Voila: an observer codes a scripted 40-event session by keyboard alone.

The saved log must equal the script, the debrief's figures must equal those computed from the
script (with the times the app stamped), nothing may leave the machine, and axe must find no
WCAG 2.2 AA violation in the app.
"""

from __future__ import annotations

import pytest

from alcourse.observe.app import log_name, write_app
from alcourse.observe.figures import figures
from alcourse.observe.log import load
from alcourse.observe.session import HERON_KEYS, MEMBER_KINDS, NOTE, SET, Event, Session
from tests.browser import require_chromium, shots, voila
from tests.site import Watch, axe, describe

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MEMBERS = ["Ann", "Bo", "Cy", "Dee"]
KEY = {k.id: k.key for k in MEMBER_KINDS}


def script() -> list[tuple[str, Event]]:
    """40 events: (keys to type, the event they log). Times are left to the app (0 here)."""
    out: list[tuple[str, Event]] = []
    kinds = [k.id for k in MEMBER_KINDS]
    herons = list(HERON_KEYS)
    who = None
    for i in range(40):
        if i == 12:
            out.append(("", Event(0, NOTE, note="Bo looks away during Cy's question")))
            continue
        if i % 9 == 8:
            out.append(("z", Event(0, "silence", SET)))
            continue
        if i % 5 == 4:
            target = SET if i % 10 == 4 else MEMBERS[i % 4]
            digit = "0" if target == SET else str(MEMBERS.index(target) + 1)
            move = herons[(i // 5) % 6]
            keys = ("" if who == target else digit) + HERON_KEYS[move]
            who = target
            out.append((keys, Event(0, "intervention", "adviser", move=move, target=target)))
            continue
        speaker = MEMBERS[(i * 3) % 4 if i % 3 else i % 4]
        kind = kinds[i % len(kinds)]
        keys = ("" if who == speaker else str(MEMBERS.index(speaker) + 1)) + KEY[kind]
        who = speaker
        out.append((keys, Event(0, kind, speaker)))
    assert len(out) == 40
    return out


def _same(e: Event) -> tuple[str, str, str, str, str]:
    return (e.kind, e.speaker, e.move, e.target, e.note)


def test_observer_codes_a_session_by_keyboard_in_voila(browser, tmp_path):
    require_chromium()
    root = tmp_path / "app"
    write_app(root, MEMBERS, observer="Kim", meeting=2)
    log_path = root / log_name("Kim", 2)
    steps = script()
    with voila(root, tmp_path / "voila.log") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        watch = Watch(base).attach(context)
        page = context.new_page()
        page.goto(f"{base}/voila/render/observe.ipynb", timeout=90_000)
        app = page.locator(".alcourse-observer")
        app.wait_for(timeout=90_000)
        status = app.locator(".alcourse-observer-status")
        keys = app.locator(".alcourse-observer-keys input")
        keys.focus()
        logged = 0
        for typed, event in steps:
            if event.kind == NOTE:
                note = app.locator(".alcourse-observer-note input")
                note.focus()
                page.keyboard.type(event.note)
                page.keyboard.press("Enter")
            else:
                keys.focus()
                page.keyboard.type(typed)
            logged += 1
            status.get_by_text(f"Logged {logged}:").wait_for(timeout=20_000)
            if logged == 20:  # a slip, then Backspace: undone, and gone from the log
                keys.focus()
                page.keyboard.type("a")
                status.get_by_text(f"Logged {logged + 1}:").wait_for(timeout=20_000)
                page.keyboard.press("Backspace")
                status.get_by_text("Undone:").wait_for(timeout=20_000)
        end = app.get_by_role("button", name="End the session and show the debrief")
        end.focus()
        page.keyboard.press("Enter")
        debrief = app.locator(".alcourse-observer-debrief")
        debrief.locator('[data-figure="silences"]').wait_for(timeout=30_000)
        page.screenshot(path=str(shots(tmp_path) / "voila-observer.png"), full_page=True)

        saved = load(log_path)
        assert [_same(e) for e in saved.events] == [_same(e) for _, e in steps]
        assert saved.ended_at is not None and saved.observer == "Kim" and saved.meeting == 2

        # the script with the app's time stamps: what the debrief must show
        expected = Session(tuple(MEMBERS), 2, "Kim")
        for (_, e), stamped in zip(steps, saved.events, strict=True):
            expected = expected.add(Event(stamped.at, e.kind, e.speaker, e.move, e.target, e.note))
        f = figures(expected.end(saved.ended_at))

        def shown(figure: str, name: str | None = None) -> str:
            sel = f'[data-figure="{figure}"]' + (f'[data-name="{name}"]' if name else "")
            return debrief.locator(sel).first.inner_text().strip()

        for kind, n in f.turn_mix.items():
            assert shown("turns", kind) == str(n), kind
        assert sum(f.turn_mix.values()) == sum(1 for _, e in steps if e.kind in KEY)
        for move, n in f.heron.items():
            assert shown("heron", move) == str(n), move
        assert sum(f.heron.values()) == sum(1 for _, e in steps if e.kind == "intervention")
        assert shown("silences") == str(f.silences) == str(sum(1 for _, e in steps if e.kind == "silence"))
        for person, seconds in f.airtime.items():
            assert shown("airtime", person) == f"{seconds:g}", person
        assert shown("adviser-share") == f"{f.adviser_share:.3f}"
        assert shown("advice-share") == f"{f.advice_share:.3f}"

        lines = describe("observer app", axe(page, [".alcourse-observer", ".alcourse-rubric"]))
        context.close()
    assert watch.problems() == []
    assert lines == [], "\n".join(lines)


def test_every_page_the_practice_tools_write_passes_axe(browser, tmp_path, course):
    """The debrief, the trainee's feedback, the second marker's reading copy and the portfolio."""
    from pathlib import Path

    from alcourse.grading.course import CourseFolder
    from alcourse.moderation.forms import Sampled
    from alcourse.moderation.run import blind_page
    from alcourse.moderation.sample import Piece
    from alcourse.observe.debrief import debrief_page
    from alcourse.observe.rubric import Rubric, Score, feedback_page
    from alcourse.portfolio.export import portfolio_html
    from alcourse.portfolio.model import load as load_portfolio

    session = Session(tuple(MEMBERS), observer="Kim")
    for i, (_, e) in enumerate(script()):
        session = session.add(Event(10.0 * i, e.kind, e.speaker, e.move, e.target, e.note))
    ids = list(course.competences)
    rubrics = [Rubric("Sam", "self", {ids[0]: Score("strong", "I renewed the contract")}),
               Rubric("Kim", "observer", {ids[0]: Score("competent", "named the breach at 12:40")}),
               Rubric("Lee", "observer", {ids[0]: Score("competent", "")})]
    piece = Piece("t01", "m04-the-participant", "m04-the-participant", "reflection-m04-reflection-my-problem",
                  8, 5)
    pages = {
        "debrief": debrief_page(session.end(400.0)),
        "feedback": feedback_page(rubrics, course.competences, "Sam"),
        "second marker": blind_page(CourseFolder(tmp_path), piece.module, [Sampled("P01", piece)]),
        "portfolio": portfolio_html(load_portfolio(Path(__file__).parent / "data" / "portfolio" /
                                                   "ten-entries.yaml")),
    }
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    lines: list[str] = []
    for name, html in pages.items():
        page.set_content(html)
        lines += describe(name, axe(page))
    page.emulate_media(media="print")  # the portfolio as printed
    lines += describe("portfolio (print)", axe(page))
    context.close()
    assert lines == [], "\n".join(lines)
