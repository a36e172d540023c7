"""The set-meeting simulator: a programme of action learning set meetings, played turn by turn.

Pure Python, deterministic for a seed, no network. Scenarios are YAML files
(:mod:`alcourse.simulation.scenario`); adviser policies decide at each event
(:mod:`alcourse.simulation.policies`); outcomes are measured per meeting and
across the programme (:mod:`alcourse.simulation.outcomes`).

>>> from alcourse.simulation import load_scenario, policy, run
>>> result = run(load_scenario("discharge-improvement"), policy("adaptive"), seed=1)
>>> result.finished, len(result.outcomes())
(True, 6)
>>> run(load_scenario("discharge-improvement"), policy("adaptive"), seed=1).rows == result.rows
True
"""

from alcourse.simulation.engine import Decision, Intervention, Result, Simulation, run
from alcourse.simulation.parameters import Parameters
from alcourse.simulation.policies import POLICIES, policy
from alcourse.simulation.scenario import Scenario, ScenarioError, load_scenario, scenario_ids

__all__ = ["POLICIES", "Decision", "Intervention", "Parameters", "Result", "Scenario", "ScenarioError",
           "Simulation", "load_scenario", "policy", "run", "scenario_ids"]
