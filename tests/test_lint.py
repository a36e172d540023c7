"""The code base stays ruff clean."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_ruff_clean():
    ruff = Path(sys.executable).parent / "ruff"
    paths = [p for p in ("alcourse", "tests", "bench") if (ROOT / p).is_dir()]
    proc = subprocess.run([str(ruff), "check", *paths], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
