"""``python -m alcourse.profile DIR``: write the trainee JupyterLab profile into DIR."""

import sys
from pathlib import Path

from alcourse.profile import write_profile

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m alcourse.profile DIR   (then run JupyterLab with JUPYTER_CONFIG_DIR=DIR)")
    print(write_profile(Path(sys.argv[1]).expanduser()))
