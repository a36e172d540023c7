"""nbgrader's API for one grading worker, carrying what its preprocessors share.

nbgrader makes the ``Autograde`` converter with this API as its parent, and each
preprocessor under it; :class:`~alcourse.grading.preprocessors.SandboxedExecute` finds the
worker's kernel pool and incident journal up that chain (traitlets configuration holds
values, not live objects: it deep-copies what it is given).
"""

from __future__ import annotations

from nbgrader.apps import NbGraderAPI
from traitlets import Instance

from alcourse.grading.incidents import Journal
from alcourse.grading.kernel_pool import KernelPool


class GradingAPI(NbGraderAPI):
    """``NbGraderAPI`` with a worker's kernel pool and journal, for its preprocessors."""

    kernel_pool = Instance(KernelPool, allow_none=True, help="the worker's sandboxed kernels")
    journal = Instance(Journal, args=(), help="what happened while each submission ran")
    source_cell_ids = Instance(frozenset, allow_none=True,
                               help="every cell id the gradebook knows for the module's notebook, read "
                                    "once per worker (RestoreCells opens the gradebook if one is missing)")
