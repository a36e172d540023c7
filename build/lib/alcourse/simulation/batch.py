"""Many programmes at once: compare adviser policies over hundreds of seeded runs.

>>> from alcourse.simulation import load_scenario
>>> frame = run_batch(load_scenario("primary-care-practice-managers"), "adaptive", seed=1, runs=3)
>>> frame["run"].nunique(), int(frame["meeting"].max())
(3, 4)
"""

from __future__ import annotations

from typing import Any

from alcourse.simulation.engine import run
from alcourse.simulation.policies import policy
from alcourse.simulation.scenario import Scenario

PROGRAMME_COLUMNS = ("completion_rate", "dependence_trend", "final_stage", "handover_meeting")


def batch_rows(scenario: Scenario, policy_name: str, seed: int, runs: int) -> list[dict[str, Any]]:
    """One row per meeting per run; run ``i`` uses seed ``seed + i``."""
    rows: list[dict[str, Any]] = []
    for i in range(runs):
        run_seed = seed + i
        result = run(scenario, policy(policy_name, run_seed), seed=run_seed)
        programme = result.programme
        assert programme is not None  # a policy run always finishes
        extra = {name: getattr(programme, name) for name in PROGRAMME_COLUMNS}
        for meeting in result.meetings:
            rows.append({"scenario": scenario.id, "policy": policy_name, "run": i, "seed": run_seed,
                         **meeting.as_row(), **extra})
    return rows


def run_batch(scenario: Scenario, policy_name: str, seed: int = 1, runs: int = 100) -> Any:
    """:func:`batch_rows` as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(batch_rows(scenario, policy_name, seed, runs))


def compare(scenario: Scenario, policy_names: list[str], seed: int = 1, runs: int = 100) -> Any:
    """Several policies' batches in one DataFrame (same seeds for each, so the sets match)."""
    import pandas as pd

    return pd.concat([run_batch(scenario, name, seed, runs) for name in policy_names], ignore_index=True)
