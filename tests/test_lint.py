"""The code base stays ruff clean."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_ruff_clean():
    ruff = Path(sys.executable).parent / "ruff"
    proc = subprocess.run([str(ruff), "check", "alcourse", "tests", "bench"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
