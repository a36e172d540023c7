"""The reflective portfolio: entries across months of real set meetings, coverage of the
competences, one printable document, and the trainer's levelled rubric.

Modules: :mod:`~alcourse.portfolio.model` (the file and its checks),
:mod:`~alcourse.portfolio.coverage` (which competences are evidenced, which are thin),
:mod:`~alcourse.portfolio.export` (the HTML document).
"""
