"""Grading with nbgrader: course folders, release and fast, isolated, honest cohort grading.

- :mod:`~alcourse.grading.course` — course folders (``alcourse course init``, ``release``).
- :mod:`~alcourse.grading.engine` — ``alcourse grade``: worker processes running nbgrader's
  autograde; :mod:`~alcourse.grading.worker` is one worker, :mod:`~alcourse.grading.options`
  how they grade (one record), :mod:`~alcourse.grading.gradebook` the shared SQLite gradebook.
- :mod:`~alcourse.grading.sandbox`, :mod:`~alcourse.grading.zygote`,
  :mod:`~alcourse.grading.kernels` — each submission's kernel, forked and sandboxed;
  :mod:`~alcourse.grading.kernel_pool` starts the next one ahead of need.
- :mod:`~alcourse.grading.preprocessors` — the nbgrader preprocessors alcourse configures into
  autograde (one per module), noting :mod:`~alcourse.grading.incidents` for the status;
  :mod:`~alcourse.grading.timing` — where the time goes (``bench/grading.py``).
- :mod:`~alcourse.grading.analysis`, :mod:`~alcourse.grading.status` — the honest state of a
  submission (graded, needs manual grading, needs attention, failed) and why, for the trainer;
  :mod:`~alcourse.grading.messages` — the same in words for the trainee.
- :mod:`~alcourse.grading.readable` — exercise answers as readable text in graded notebooks.
- :mod:`~alcourse.grading.trainees` — the trainee list (ids and names) into the gradebook.
- :mod:`~alcourse.grading.cohort`, :mod:`~alcourse.grading.feedback`,
  :mod:`~alcourse.grading.report` — export, feedback pages and the cohort report
  (:mod:`alcourse.render` renders the Jinja2 templates in ``alcourse/templates``).
"""

from alcourse.grading.course import CourseError, CourseFolder, copy_workspace, default_source

__all__ = ["CourseError", "CourseFolder", "copy_workspace", "default_source"]
