"""Hand in without a hub: one file per module from the trainee, collected safely by the trainer.

- :mod:`~alcourse.handin.manifest` — what a hand-in says about itself (module, trainee, time,
  sha256 of each part) and the rules for trainee ids.
- :mod:`~alcourse.handin.archive` — making the ``MODULE--TRAINEE.alcourse.zip`` file, and
  reading one that nobody can trust, within stated limits.
- :mod:`~alcourse.handin.collect` — ``alcourse collect``: filing hand-ins into nbgrader's
  ``submitted/TRAINEE/MODULE/`` (staged, then renamed into place), or refusing them with why.
"""

from alcourse.handin.archive import HandIn, Limits, Refused, make_archive, read_archive
from alcourse.handin.manifest import Manifest, archive_name, check_trainee_id

__all__ = ["HandIn", "Limits", "Manifest", "Refused", "archive_name", "check_trainee_id", "make_archive",
           "read_archive"]
