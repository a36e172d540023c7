"""Words for the trainee: what their feedback page says when grading could not go ahead.

Every state has two readers. The trainer's words (in :mod:`~alcourse.grading.analysis`)
say what to do in the course folder; these say what the trainee should send,
with no file paths, no exception text and nothing about grading commands.

>>> damaged_answers("m03.answers.json").startswith("Your saved answers (m03.answers.json) arrived damaged")
True
"""

from __future__ import annotations

NOT_ZERO = "This is not a score of zero: your trainer will be in touch."


def nothing_arrived(notebook_file: str) -> str:
    return (f"Nothing arrived from you for this module. Please submit {notebook_file} again, with its "
            "answers file beside it.")


def wrong_name(notebook_file: str, found: str) -> str:
    return (f"Your notebook arrived as {found}, not {notebook_file}. Your trainer will put this right; "
            f"if they ask, submit it again as {notebook_file}.")


def damaged_notebook(notebook_file: str) -> str:
    return (f"The notebook that arrived ({notebook_file}) is empty or damaged and could not be opened. "
            f"Please submit {notebook_file} again.")


def damaged_answers(answers_file: str) -> str:
    return (f"Your saved answers ({answers_file}) arrived damaged, so your exercise answers could not "
            f"be read. Please send {answers_file} again, from the folder where you worked on this "
            "module. Do not delete it or start the exercises again.")


def missing_answers(answers_file: str) -> str:
    return (f"Your saved answers ({answers_file}) did not arrive with your notebook, so none of your "
            f"exercise answers could be graded. Please send {answers_file}, from the folder where you "
            "worked on this module.")


def could_not_run() -> str:
    return ("Your notebook could not be graded automatically: it stopped while it was being run. "
            "Your trainer will look at it with you.")
