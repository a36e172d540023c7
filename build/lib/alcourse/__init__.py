"""alcourse: a Jupyter course for facilitators of action learning sets.

The public API is split by job:

- :mod:`alcourse.content` — the body of knowledge as validated data;
- :mod:`alcourse.curriculum` — modules, and the notebooks and book pages made from them;
- :mod:`alcourse.exercises` — exercises and their pure checkers;
- :mod:`alcourse.answers` — trainee answers saved beside a notebook;
- :mod:`alcourse.widgets` — the ipywidgets trainees use;
- :mod:`alcourse.grading` — nbgrader course folders and grading;
- :mod:`alcourse.cli` — the ``alcourse`` command.
"""

__version__ = "0.1.0"
