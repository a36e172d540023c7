"""Grading without root: the hostile corpus, sandboxed, as an ordinary Unix user (a hub's grader).

The whole of tests/test_grading_hostile.py runs again under ``runuser`` as a user made
for the test: every hostile submission must end in its exact state, nothing may escape,
and the sandbox must come from user namespaces, not from root.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from alcourse.hub.accounts import ensure_user, remove_user
from tests.conftest import ROOT
from tests.hubfixture import open_path_for_users

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="makes a Unix user for the test: needs root "
                                 "(make test runs as root in CI)")]


def test_hostile_corpus_is_graded_in_the_sandbox_by_an_ordinary_user():
    user = f"tg{secrets.token_hex(3)}"
    uid, gid = ensure_user(user, "alcourse grading test")
    opened = open_path_for_users(Path(sys.executable).parent)
    opened += open_path_for_users(Path(os.path.realpath(sys.executable)).parent)
    opened += open_path_for_users(ROOT)
    base = Path(tempfile.mkdtemp(prefix="alcourse-unpriv-"))
    os.chown(base, uid, gid)
    try:
        env = ["env", "-i", f"HOME=/home/{user}", f"USER={user}", "LANG=C.UTF-8",
               f"PATH={Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE=1"]
        proc = subprocess.run(
            ["runuser", "-u", user, "--", *env, sys.executable, "-m", "pytest", "-q",
             "-p", "no:cacheprovider", f"--basetemp={base / 'pytest'}", "tests/test_grading_hostile.py"],
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=1500)
        summary = proc.stdout[-3000:]
        assert proc.returncode == 0, summary + proc.stderr[-2000:]
        assert " passed" in summary and "skipped" not in summary and "error" not in summary.lower()
    finally:
        subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True, check=False)
        remove_user(user)
        subprocess.run(["rm", "-rf", str(base)], check=False)
        for path, mode in reversed(opened):
            path.chmod(mode)
