"""A stand-in grading worker that speaks the worker protocol, for testing the coordinator.

It answers in ways a real worker can: two outcome lines in one write (as when
the coordinator is busy and two submissions finish), and never answering at
all for a student whose id starts with ``stuck`` (as a worker stuck on a lock).
"""

from __future__ import annotations

import json
import select
import sys
import time
from typing import Any


def outcome(student: str, module: str) -> dict[str, object]:
    return {"student": student, "module": module, "state": "graded", "score": 1.0, "max_score": 1.0}


def main() -> None:
    config = json.loads(sys.argv[1])
    out = sys.stdout.buffer
    out.write(b'{"op": "ready", "pid": 0}\n')
    out.flush()
    held: list[bytes] = []
    stdin = sys.stdin.buffer.raw  # unbuffered, so select sees what is waiting
    buffer = b""
    while True:
        if held and not select.select([stdin], [], [], 0.5)[0]:
            out.write(b"".join(held))  # nothing more is coming for now
            out.flush()
            held.clear()
            continue
        chunk = stdin.read(65536)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.strip():
                handle(json.loads(line)["student"], config["module"], held, out)
    out.write(b"".join(held))
    out.flush()


def handle(student: str, module: str, held: list[bytes], out: Any) -> None:
    if student.startswith("stuck"):
        out.write(b"".join(held))  # what it finished before it got stuck
        out.flush()
        held.clear()
        time.sleep(3600)
    held.append(json.dumps({"op": "outcome", "outcome": outcome(student, module)}).encode() + b"\n")
    if len(held) == 2:
        out.write(b"".join(held))  # both lines reach the pipe at once
        out.flush()
        held.clear()


if __name__ == "__main__":
    main()
