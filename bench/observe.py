"""Benchmark the observer tools (targets: key press to logged event ≤ 100 ms median in the browser;
``alcourse observe agree`` on two 90-minute logs ≤ 1 s).

1. ``observe agree``: two observers' logs of one 90-minute session (seeded, about 540 turns
   each; the second observer recodes about one turn in seven and is up to a second out), timed
   end to end (reading both files, aligning 5-second windows, kappa per dimension, the table).
   Baseline in the same run: only reading the two logs.
2. Key press to logged event: the observer app in Voila (Debian chromium, playwright). Each
   key is timed in the page, from its keydown to the status line saying "Logged N" (so it
   includes the comm round trip, the atomic save of the whole log, and rendering). Baseline
   in the same run and page: a key the app does not use, which only changes the status line
   (the same round trip with no logging and no saving).

    .venv/bin/python bench/observe.py               # both, 40 key presses
    .venv/bin/python bench/observe.py --no-browser  # only observe agree
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alcourse.observe.log import load, save  # noqa: E402
from alcourse.observe.report import agree_files  # noqa: E402
from alcourse.observe.session import HERON_KEYS, MEMBER_KINDS, SET, Session  # noqa: E402

AGREE_TARGET_S = 1.0
KEY_TARGET_MS = 100.0
MEMBERS = ("Ann", "Bo", "Cy", "Dee", "Eve", "Fay")


def ninety_minutes(seed: int, observer: str, recode: float = 0.0, base: int = 7) -> Session:
    """A seeded 90-minute session; ``recode`` of the turns coded differently (same ``base`` seed)."""
    rng, noise = random.Random(base), random.Random(seed)
    kinds = [k.id for k in MEMBER_KINDS]
    s = Session(MEMBERS, observer=observer)
    t = 0.0
    while t < 90 * 60:
        roll = rng.random()
        kind = rng.choice(kinds)
        member = rng.choice(MEMBERS)
        move = rng.choice(list(HERON_KEYS))
        at = round(max(s.events[-1].at if s.events else 0.0, t + noise.uniform(-1, 1) * (seed != base)), 1)
        if noise.random() < recode:
            kind = rng.choice(kinds)
        if roll < 0.1:
            s = s.intervene(at, move, rng.choice([*MEMBERS, SET]))
        elif roll < 0.15:
            s = s.turn(at, SET, "silence")
        else:
            s = s.turn(at, member, kind)
        t += rng.uniform(3, 17)
    return s.end(round(t, 1))


def bench_agree(runs: int = 5) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "kim.csv", Path(tmp) / "lee.csv"
        save(ninety_minutes(7, "Kim"), a)
        save(ninety_minutes(8, "Lee", recode=1 / 7), b)
        turns = len(load(a).events)
        agree_files([a, b])  # warm: imports of scikit-learn and pandas are not what we time
        timed, base = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            agree_files([a, b])
            timed.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            load(a), load(b)
            base.append(time.perf_counter() - t0)
    return statistics.median(timed), statistics.median(base), turns


ARM = """([n, expect]) => {
  const input = document.querySelector('.alcourse-observer-keys input');
  const status = document.querySelector('.alcourse-observer-status');
  window.__t0 = null; window.__t1 = null;
  input.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {once: true});
  const obs = new MutationObserver(() => {
    if (window.__t1 === null && status.textContent.includes(expect)) {
      window.__t1 = performance.now(); obs.disconnect();
    }
  });
  obs.observe(status, {subtree: true, childList: true, characterData: true});
}"""


def bench_keys(presses: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    from alcourse.observe.app import write_app
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, voila

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "app"
        write_app(root, list(MEMBERS), observer="Bench")
        with voila(root, Path(tmp) / "voila.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(f"{base}/voila/render/observe.ipynb", timeout=90_000)
                page.locator(".alcourse-observer").wait_for(timeout=90_000)
                keys = page.locator(".alcourse-observer-keys input")
                keys.focus()
                page.keyboard.press("1")
                page.get_by_text("Chosen: Ann").wait_for(timeout=20_000)

                def timed(key: str, expect: str) -> float:
                    page.evaluate(ARM, [0, expect])
                    page.keyboard.press(key)
                    page.wait_for_function("() => window.__t1 !== null", timeout=20_000)
                    return float(page.evaluate("() => window.__t1 - window.__t0"))

                logged, baseline = [], []
                for i in range(presses):
                    logged.append(timed("o", f"Logged {i + 1}:"))
                    odd = "?" if i % 2 == 0 else "!"
                    baseline.append(timed(odd, f"'{odd}' is not a key here"))
            finally:
                browser.close()
    return statistics.median(logged), statistics.median(baseline)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    median, base, turns = bench_agree()
    print(f"observe agree, two 90-minute logs ({turns} events each): median {median:.3f} s "
          f"(target <= {AGREE_TARGET_S:g} s); reading the two logs alone {base:.3f} s; "
          f"ratio {median / base:.1f}x")
    if not args.no_browser:
        logged, baseline = bench_keys(args.presses)
        print(f"key press to logged event in Voila ({args.presses} presses): median {logged:.0f} ms "
              f"(target <= {KEY_TARGET_MS:g} ms); unused key (same round trip, no save) {baseline:.0f} ms; "
              f"ratio {logged / baseline:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
