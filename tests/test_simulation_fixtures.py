"""Determinism across refactors: fixed seeds give the transcripts recorded in tests/data/simulation/.

Recorded before the engine became data-driven (issue 13). A change meant to alter the
meetings re-records them and says why in its commit message:

    ALCOURSE_RECORD=1 .venv/bin/python -m pytest tests/test_simulation_fixtures.py
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from alcourse.simulation import load_scenario, policy, run
from alcourse.simulation.scenario import scenario_ids
from tests.conftest import ROOT

FOLDER = ROOT / "tests" / "data" / "simulation"
POLICIES = ("hands-off", "directive", "adaptive", "random")
FULL_SEED = 2
DIGEST_SEEDS = (1, 3, 5)
RECORD = os.environ.get("ALCOURSE_RECORD") == "1"


def transcript_lines(scenario_id: str, policy_name: str, seed: int) -> list[str]:
    """One tab-separated line per turn (with its words), then one per decision."""
    result = run(load_scenario(scenario_id), policy(policy_name, seed), seed=seed)
    frame = result.transcript()
    lines = ["\t".join(str(v) for v in row) for row in frame.itertuples(index=False)]
    lines += [f"decision\t{d.decision.meeting}\t{d.decision.event}\t{d.decision.member}\t"
              f"{d.intervention.move}\t{d.intervention.target}\t{d.outcome}" for d in result.decisions]
    return lines


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.parametrize("sid", scenario_ids())
def test_fixed_seeds_give_the_recorded_transcripts(sid):
    full = FOLDER / f"{sid}.tsv"
    digests = FOLDER / f"{sid}.digests.json"
    runs = {name: transcript_lines(sid, name, FULL_SEED) for name in POLICIES}
    sums = {f"{name}/{seed}": _digest(transcript_lines(sid, name, seed))
            for name in POLICIES for seed in DIGEST_SEEDS}
    text = "".join(f"# {name} seed {FULL_SEED}\n" + "\n".join(lines) + "\n" for name, lines in runs.items())
    if RECORD:
        FOLDER.mkdir(parents=True, exist_ok=True)
        full.write_text(text, encoding="utf-8")
        digests.write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = full.read_text(encoding="utf-8").splitlines()
    now = text.splitlines()
    first = next((i for i, (a, b) in enumerate(zip(recorded, now, strict=False)) if a != b), None)
    assert first is None and len(recorded) == len(now), (
        f"{full.name}: first difference at line {(first or min(len(recorded), len(now))) + 1}:\n"
        f"  recorded: {recorded[first] if first is not None and first < len(recorded) else '(end)'}\n"
        f"  now:      {now[first] if first is not None and first < len(now) else '(end)'}")
    assert json.loads(digests.read_text(encoding="utf-8")) == sums
