"""A real hub with N simulated trainees working at once: how long each step takes, memory, errors.

Run as root (real Unix users are made and removed): ``.venv/bin/python bench/hub.py [5,10,20]``.
For each N: a fresh hub (``alcourse hub init`` + ``start``, loopback only); every trainee at
once (threads): login → running server (REST API), fetch m03, run it top to bottom (its own
kernel, as its own Unix user), submit. Then the peak memory of each trainee's server (RSS of
the user's processes, kernel stopped: the idle server), and the trainer's collect + grade of
all N compared with grading the same N again once they are on disk. Bounded: every step has
a timeout, and a step that fails is counted, never retried.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hubfixture import start_hub, stop_hub

MODULE = "m03-traditional-vs-action-learning"


def user_rss_mb(user: str) -> float:
    """Resident memory of every process of ``user`` (their server), in MB."""
    import pwd

    uid = pwd.getpwnam(user).pw_uid
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("Uid", "-1").split()[0]) == uid and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0])
    return total / 1024


def trainee_run(hub, user: str) -> dict[str, float | str]:
    times: dict[str, float | str] = {}
    try:
        t = time.perf_counter()
        hub.start_server(user, timeout=300)
        times["login_to_server"] = time.perf_counter() - t
        times["idle_mb"] = user_rss_mb(user)
        t = time.perf_counter()
        assert hub.server(user, "POST", "/assignments/fetch",
                          {"course_id": hub.cohort, "assignment_id": MODULE})["success"]
        times["fetch"] = time.perf_counter() - t
        t = time.perf_counter()
        nb = f"/home/{user}/{hub.cohort}/{MODULE}/{MODULE}.ipynb"
        proc = hub.as_user(user, "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                           "--ExecutePreprocessor.timeout=120", nb)
        if proc.returncode != 0:
            raise RuntimeError(f"run: {proc.stderr[-300:]}")
        times["run"] = time.perf_counter() - t
        t = time.perf_counter()
        assert hub.server(user, "POST", "/assignments/submit",
                          {"course_id": hub.cohort, "assignment_id": MODULE})["success"]
        times["submit"] = time.perf_counter() - t
        times["peak_mb"] = user_rss_mb(user)
    except Exception as exc:  # counted as an error for this trainee, never retried
        times["error"] = f"{type(exc).__name__}: {exc}"[:200]
    return times


def one(n: int) -> None:
    from alcourse.hub import trainer
    from alcourse.hub.folder import HubFolder

    tag = os.urandom(2).hex()
    trainees = [f"b{tag}{i:03d}" for i in range(n)]
    hub, opened = start_hub(f"b{tag}", f"br{tag}", trainees)
    try:
        folder = HubFolder.open(hub.root)
        trainer.release(folder, MODULE)
        with ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(lambda u: trainee_run(hub, u), trainees))
        errors = [r["error"] for r in results if "error" in r]
        print(f"\nN={n} trainees at once ({len(errors)} errors)")
        for step in ("login_to_server", "fetch", "run", "submit"):
            values = [float(r[step]) for r in results if step in r]
            if values:
                print(f"  {step:16s} median {statistics.median(values):6.1f} s   max {max(values):6.1f} s")
        for key, label in (("idle_mb", "idle server"), ("peak_mb", "server after run")):
            values = [float(r[key]) for r in results if key in r]
            if values:
                print(f"  {label:16s} median {statistics.median(values):6.0f} MB  max {max(values):6.0f} MB")
        for message in errors[:5]:
            print(f"  error: {message}")
        t = time.perf_counter()
        trainer.collect(folder, MODULE)
        trainer.grade(folder, MODULE)
        over_hub = time.perf_counter() - t
        t = time.perf_counter()
        # every submission graded again (--all): grading skips unchanged work otherwise
        trainer.grade(folder, MODULE, again=True)
        on_disk = time.perf_counter() - t
        print(f"  collect+grade    {over_hub:6.1f} s; grade again (on disk) {on_disk:6.1f} s; "
              f"ratio {over_hub / on_disk:4.2f}")
    finally:
        stop_hub(hub, opened)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("sizes", nargs="?", default="5,10,20")
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/hub.py makes real Unix users: run it as root")
    for n in (int(x) for x in args.sizes.split(",")):
        one(n)


if __name__ == "__main__":
    main()
