"""Speed of the set-meeting simulator. Run: .venv/bin/python bench/simulation.py

Prints the median of repeated runs for one 6-meeting programme (target <= 5 ms)
and for 1,000 programmes (target <= 5 s), each beside a baseline measured in
the same run: the same number of turns as a bare loop drawing one random number
and appending one tuple per turn (the least any turn-by-turn engine must do).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alcourse.simulation import load_scenario, policy, run

SCENARIO = "discharge-improvement"  # the largest shipped programme: 6 meetings
ONE_TARGET_MS = 5.0
MANY_TARGET_S = 5.0


def _median_seconds(task, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _baseline(turns: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for i in range(turns):
        rows.append((i, rng.random()))


def main() -> int:
    scenario = load_scenario(SCENARIO)
    assert scenario.meetings == 6
    adaptive = policy("adaptive")
    turns = len(run(scenario, adaptive, seed=1).rows)
    counter = iter(range(10**9))

    one = _median_seconds(lambda: run(scenario, adaptive, seed=next(counter)), repeats=201)
    one_base = _median_seconds(lambda: _baseline(turns, 1), repeats=201)
    hands_off = _median_seconds(lambda: run(scenario, policy("hands-off"), seed=next(counter)), repeats=201)

    def thousand() -> None:
        for seed in range(1000):
            run(scenario, adaptive, seed=seed)

    def thousand_base() -> None:
        for seed in range(1000):
            _baseline(turns, seed)

    many = _median_seconds(thousand, repeats=5)
    many_base = _median_seconds(thousand_base, repeats=5)

    ok_one, ok_many = one * 1000 <= ONE_TARGET_MS, many <= MANY_TARGET_S
    print(f"scenario {SCENARIO}: 6 meetings, about {turns} turns per programme, adaptive policy")
    print(f"one programme      {one * 1000:8.2f} ms  (target <= {ONE_TARGET_MS:.0f} ms: "
          f"{'met' if ok_one else 'MISSED'})  median of 201")
    print(f"  baseline loop    {one_base * 1000:8.2f} ms  ratio {one / one_base:6.1f}x")
    print(f"  hands-off policy {hands_off * 1000:8.2f} ms  ratio {one / hands_off:6.1f}x")
    print(f"1,000 programmes   {many:8.2f} s   (target <= {MANY_TARGET_S:.0f} s: "
          f"{'met' if ok_many else 'MISSED'})  median of 5")
    print(f"  baseline loop    {many_base:8.2f} s   ratio {many / many_base:6.1f}x")
    return 0 if ok_one and ok_many else 1


if __name__ == "__main__":
    sys.exit(main())
