"""Memory of an idle trainee server: the trainee profile against the environment's defaults.

``.venv/bin/python bench/idle_server.py [--runs 3]`` starts JupyterLab (127.0.0.1, a free
port) over a released course twice per run, once with every server extension the
environment enables (the baseline) and once with the trainee profile (alcourse/profile,
also what the hub's trainee servers load), waits until it answers and settles, and prints
the resident memory (RSS) and proportional set size (PSS) of the server's process tree, as
bench/hub.py measures a hub trainee's idle server (there ``jupyterhub-singleuser``, the same
server plus the hub's login extension). Target (issue 9): an idle trainee server ≤ 150 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alcourse.profile import write_profile
from tests.browser import free_port
from tests.site import trainee_workspace


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of the process tree in MB."""
    rss = pss = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def idle_server(workspace: Path, config_dir: Path, settle: float) -> tuple[float, float]:
    port, token = free_port(), "bench"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config_dir),
               JUPYTER_RUNTIME_DIR=str(config_dir / "runtime"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workspace}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                # what the hub does before it calls a server ready, then the page a trainee opens
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5)
                urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=30)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start") from None
                time.sleep(0.5)
        time.sleep(settle)
        return memory_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds idle before measuring")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        trainee_workspace(base / "workspace")
        baseline_dir = base / "baseline"
        baseline_dir.mkdir()
        results: dict[str, list[tuple[float, float]]] = {"environment defaults": [], "trainee profile": []}
        for _ in range(args.runs):
            results["environment defaults"].append(idle_server(base / "workspace", baseline_dir, args.settle))
            results["trainee profile"].append(
                idle_server(base / "workspace", write_profile(base / "profile"), args.settle))
    print(f"idle JupyterLab server, median of {args.runs} runs (process tree):")
    medians = {}
    for label, values in results.items():
        rss = statistics.median(v[0] for v in values)
        pss = statistics.median(v[1] for v in values)
        medians[label] = rss
        print(f"  {label:22s} RSS {rss:6.0f} MB   PSS {pss:6.0f} MB")
    ratio = medians["trainee profile"] / medians["environment defaults"]
    print(f"  trainee / defaults     {ratio:.2f} (RSS)   target: trainee ≤ 150 MB")


if __name__ == "__main__":
    main()
