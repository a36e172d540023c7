"""How to grade is one record (GradeOptions), and one helper puts the venv's commands on PATH."""

from __future__ import annotations

import re

import pytest

from alcourse.errors import UserError
from alcourse.grading.options import GradeOptions, Limits, WorkerConfig
from tests.conftest import ROOT


def test_options_cross_to_a_worker_as_one_record():
    options = GradeOptions(jobs=3, isolation=False, cell_timeout=5, submission_seconds=9.5,
                           max_output_bytes=1234, limits=Limits(cpu_seconds=7, memory_bytes=10**9))
    config = WorkerConfig("/c", "m03", "m03", options)
    assert WorkerConfig.from_json(config.to_json()) == config
    assert WorkerConfig.from_json(config.to_json()).options.limits.cpu_seconds == 7


@pytest.mark.parametrize("bad", [{"jobs": 0}, {"cell_timeout": -1}, {"submission_seconds": float("nan")},
                                 {"max_output_bytes": 0}, {"stuck_margin": 0.0}])
def test_a_bad_option_is_a_user_error_naming_it(bad):
    name = next(iter(bad))
    with pytest.raises(UserError, match=f"^{name}: is "):
        GradeOptions(**bad)


def test_a_bad_limit_is_a_user_error_naming_it():
    with pytest.raises(UserError, match=r"^memory_bytes: is 0"):
        Limits(memory_bytes=0)


def test_the_venv_bin_is_put_on_path_in_one_place():
    pattern = re.compile(r"Path\(sys\.executable\)\.parent|sys\.executable\)\.parent")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "alcourse").rglob("*.py"))
             if p.name != "venv.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not found, f"use alcourse.venv (venv_bin, path_with_venv, with_venv_path) instead: {found}"
