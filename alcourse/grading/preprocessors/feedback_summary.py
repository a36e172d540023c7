"""FeedbackSummary: each trainee's alcourse summary, handed to the feedback page's template.

The summary (status, score, first choices and why) is rendered beforehand by
:func:`alcourse.grading.feedback.summary_html`, one per trainee, and configured here as
``FeedbackSummary.summaries`` (trainee id → HTML): traitlets configuration carries strings, and
nbgrader makes one preprocessor for every trainee's notebook. This one puts the trainee's summary
in ``resources["alcourse"]["summary"]``, where alcourse's nbconvert template
(``alcourse/templates/nbconvert/feedback/alcourse_feedback.html.j2``) writes it at the top of the
page's ``<main>``.

>>> from nbformat.v4 import new_notebook
>>> pp = FeedbackSummary(summaries={"ann": "<section>Ann</section>"})
>>> _, resources = pp.preprocess(new_notebook(), {"nbgrader": {"student": "ann"}})
>>> resources["alcourse"]["summary"]
'<section>Ann</section>'
>>> pp.preprocess(new_notebook(), {"nbgrader": {"student": "bob", "assignment": "m1"}})
Traceback (most recent call last):
...
ValueError: FeedbackSummary: no summary was made for trainee 'bob' (module m1)
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Unicode


class FeedbackSummary(NbGraderPreprocessor):
    """The trainee's summary into ``resources["alcourse"]["summary"]`` for the feedback template."""

    summaries = Dict(value_trait=Unicode(), key_trait=Unicode(),
                     help="Each trainee's summary (trainee id → HTML), rendered by alcourse").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        student = resources["nbgrader"]["student"]
        if student not in self.summaries:
            # a page without its summary would look complete; better no page and a reason
            raise ValueError(f"FeedbackSummary: no summary was made for trainee {student!r} "
                             f"(module {resources['nbgrader'].get('assignment', '?')})")
        resources.setdefault("alcourse", {})["summary"] = self.summaries[student]
        return nb, resources
