"""Benchmark: click on a widget answer → its feedback visible, in JupyterLab (target ≤ 150 ms).

Opens module 3's trainee notebook in JupyterLab (Debian chromium, playwright), runs it, and
clicks 20 answers of its first exercise, alternating the choice so every click changes the
answer. Each click is timed in the page, from the click to the moment the question's
feedback text has changed in the DOM (so it includes the comm round trip, checking the
answer, saving it to the answers file atomically, and rendering).

Baseline, in the same run and the same JupyterLab: plain ipywidgets radio buttons whose
callback only sets an HTML widget (no checking, no saving). The ratio is our overhead.

    .venv/bin/python bench/browser.py            # 20 clicks each
    .venv/bin/python bench/browser.py --clicks 40
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import CHROMIUM, CHROMIUM_ARGS, jupyter_lab, run_all  # noqa: E402
from tests.site import open_alone, trainee_workspace  # noqa: E402

MODULE = "m03-traditional-vs-action-learning"
TARGET_MS = 150.0
BASELINE_CELL = """\
import ipywidgets as w
rows = []
for i in range(20):
    radio = w.RadioButtons(options=["Traditional learning", "Action learning"], value=None)
    feedback = w.HTML()
    radio.observe(lambda change, feedback=feedback: setattr(
        feedback, "value", f'<div class="alcourse-feedback">You chose {change["new"]}.</div>'), names="value")
    rows.append(w.VBox([radio, feedback]))
box = w.VBox(rows)
box.add_class("alcourse-exercise")
box.add_class("baseline")
box
"""

# Clicks the radio in row i (alternating options) and resolves with the milliseconds until
# that row's feedback text changes.
CLICKS_JS = """async ([selector, clicks]) => {
  const root = document.querySelector(selector);
  const rows = [...root.querySelectorAll('.widget-radio')].map(r => r.parentElement);
  const times = [];
  for (let n = 0; n < clicks; n++) {
    const row = rows[n % rows.length];
    const radios = row.querySelectorAll('input[type=radio]');
    const target = radios[Math.floor(n / rows.length) % 2 === 0 ? 0 : 1];
    const text = () => [...row.querySelectorAll('.alcourse-feedback')].map(e => e.textContent).join('|');
    const before = text();
    const t = await new Promise((resolve, reject) => {
      const obs = new MutationObserver(() => {
        const now = text();
        if (now && now !== before) { obs.disconnect(); resolve(performance.now() - start); }
      });
      obs.observe(row, {subtree: true, childList: true, characterData: true});
      setTimeout(() => { obs.disconnect(); reject(new Error('no feedback after 10 s')); }, 10000);
      const start = performance.now();
      target.click();
    });
    times.push(t);
    await new Promise(r => setTimeout(r, 50));  // a person does not click every frame
  }
  return times;
}"""


def measure(page, selector: str, clicks: int) -> list[float]:  # type: ignore[no-untyped-def]
    page.locator(selector).first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    return list(page.evaluate(CLICKS_JS, [selector, clicks]))


def summary(name: str, times: list[float]) -> str:
    cut = sorted(times)[int(0.9 * (len(times) - 1))]
    return (f"{name:<34} median {statistics.median(times):7.1f} ms   p90 {cut:7.1f} ms   "
            f"min {min(times):6.1f}   max {max(times):7.1f}   (n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "workspace"
        trainee_workspace(workspace)
        baseline = {"cells": [{"cell_type": "code", "execution_count": None, "id": "baseline",
                               "metadata": {}, "outputs": [], "source": BASELINE_CELL}],
                    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                "language": "python"}},
                    "nbformat": 4, "nbformat_minor": 5}
        (workspace / "baseline.ipynb").write_text(json.dumps(baseline), encoding="utf-8")
        with jupyter_lab(workspace, Path(tmp) / "lab.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_alone(page, base, "baseline.ipynb")
            run_all(page)
            plain = measure(page, ".baseline", args.clicks)
            open_alone(page, base, f"{MODULE}/{MODULE}.ipynb")
            run_all(page)
            ours = measure(page, ".jp-NotebookPanel:not(.lm-mod-hidden) .alcourse-exercise:not(.baseline)",
                           args.clicks)
            browser.close()
    load = os.getloadavg()
    print(f"JupyterLab, click on an answer → feedback visible ({args.clicks} clicks each); "
          f"load average {load[0]:.2f} {load[1]:.2f}")
    print(summary("baseline (plain ipywidgets echo)", plain))
    print(summary("alcourse exercise widget", ours))
    med = statistics.median(ours)
    print(f"ratio to baseline (median)          {med / statistics.median(plain):.2f}x")
    print(f"target ≤ {TARGET_MS:.0f} ms: {'met' if med <= TARGET_MS else 'NOT met'} ({med:.1f} ms)")


if __name__ == "__main__":
    main()
