"""``alcourse scenario validate`` and ``alcourse simulate``: check scenarios and run them in bulk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alcourse.commands.options import positive_int
from alcourse.errors import UserError


def _validate(args: argparse.Namespace) -> int:
    from alcourse.located import LocatedError
    from alcourse.simulation.rulebook import check_model_file
    from alcourse.simulation.scenario import ScenarioError, load_scenario

    bad = 0
    for name in args.files:
        path = Path(name)
        if not path.exists():
            print(f"{name}:1: (file): does not exist; give the path of a scenario .yaml file",
                  file=sys.stderr)
            bad += 1
            continue
        try:
            declared = check_model_file(path)
        except LocatedError as exc:
            print(str(exc), file=sys.stderr)
            bad += 1
            continue
        if declared is not None:
            print(f"{name}: ok: {declared}")
            continue
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            bad += 1
            continue
        print(f"{name}: ok: '{scenario.title}', {len(scenario.members)} members, "
              f"{scenario.meetings} meetings")
    return 1 if bad else 0


def _simulate(args: argparse.Namespace) -> int:
    from alcourse.simulation.batch import batch_rows
    from alcourse.simulation.policies import POLICY_HELP
    from alcourse.simulation.scenario import load_scenario

    if args.policy not in POLICY_HELP:
        raise UserError(f"--policy {args.policy!r} is not a policy; allowed: {', '.join(POLICY_HELP)}")
    if args.runs < 1:
        raise UserError(f"--runs {args.runs}: give at least 1 run")
    scenario = load_scenario(args.scenario)
    out = Path(args.out)
    if out.suffix.lower() != ".csv":
        raise UserError(f"--out {out}: give a file name ending in .csv")
    if not out.parent.exists():
        raise UserError(f"--out {out}: the folder {out.parent} does not exist; create it first")
    import pandas as pd

    frame = pd.DataFrame(batch_rows(scenario, args.policy, args.seed, args.runs))
    try:
        frame.to_csv(out, index=False)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot write ({exc.strerror})") from None
    per_run = frame.groupby("run").agg(advice=("advice_share", "mean"), gini=("airtime_gini", "mean"),
                                       completion=("completion_rate", "first"))
    print(f"wrote {out}: {len(frame)} rows ({args.runs} runs x {scenario.meetings} meetings) of "
          f"'{scenario.title}' with the {args.policy} policy")
    print(f"mean advice-laden share of questions {per_run['advice'].mean():.2f}; "
          f"mean airtime Gini {per_run['gini'].mean():.2f}; "
          f"actions completed {per_run['completion'].mean():.0%}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sc = sub.add_parser("scenario", help="check simulator scenario files")
    ssub = sc.add_subparsers(dest="scenario_command", required=True)
    v = ssub.add_parser("validate", help="check scenario files (and events or moves files); exit 0 if all "
                                         "are valid")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.set_defaults(func=_validate)

    s = sub.add_parser("simulate", help="run a scenario many times with an adviser policy, to CSV")
    s.add_argument("scenario", help="a scenario file, or the id of a shipped scenario")
    s.add_argument("--policy", default="adaptive",
                   help="hands-off, directive, adaptive or random (default: adaptive)")
    s.add_argument("--seed", type=int, default=1, help="seed of the first run (run i uses seed+i)")
    s.add_argument("--runs", type=positive_int, default=100, help="how many programmes (default: 100)")
    s.add_argument("--out", required=True, help="CSV file for one row per meeting per run")
    s.set_defaults(func=_simulate)
