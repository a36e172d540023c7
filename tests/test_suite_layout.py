"""The suite's own layout: files that take a costly session fixture run on the worker that has it."""

from __future__ import annotations

import re

from tests.conftest import ROOT, SHARED_WORKER


def test_every_file_taking_a_shared_fixture_is_in_its_worker_group():
    # a file left out would build the book (or release every module) a second time on another worker
    missing = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        for fixture, stems in SHARED_WORKER.items():
            if path.stem == "test_hub" and fixture == "released":
                continue  # the hub module has its own `released` (the hub's course folder)
            if re.search(rf"^def \w+\([^)]*\b{fixture}\b", text, re.M | re.S) and path.stem not in stems:
                missing.append(f"{path.name} takes `{fixture}`: add it to SHARED_WORKER[{fixture!r}]")
    assert missing == [], "\n".join(missing)
