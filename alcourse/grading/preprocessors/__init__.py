"""nbgrader preprocessors that alcourse configures into nbgrader's autograde, one per module
(as in ``nbgrader/preprocessors/``).

- :class:`RestoreCells` in place of nbgrader's ``OverwriteCells`` (it also puts back deleted cells);
- :class:`SandboxedExecute` in place of nbgrader's ``Execute`` (sandboxed kernel, bounded output
  and time, a journal of what happened);
- :class:`ReadableExercises` after grading (exercise answers as readable text);
- :class:`FeedbackSummary` in feedback (each trainee's summary, for the feedback page's template).

They are set through nbgrader's own configuration (``Autograde.sanitize_preprocessors``,
``Autograde.autograde_preprocessors``, ``GenerateFeedback.preprocessors``) and configured with traitlets, e.g.
``c.SandboxedExecute.max_output_bytes = 100_000``; see :mod:`alcourse.grading.worker`.
"""

from alcourse.grading.incidents import Incident
from alcourse.grading.preprocessors.feedback_summary import FeedbackSummary
from alcourse.grading.preprocessors.readable_exercises import ReadableExercises
from alcourse.grading.preprocessors.restore_cells import RESTORED_NOTE, RestoreCells
from alcourse.grading.preprocessors.sandboxed_execute import SandboxedExecute

__all__ = ["RESTORED_NOTE", "FeedbackSummary", "Incident", "ReadableExercises", "RestoreCells",
           "SandboxedExecute"]
