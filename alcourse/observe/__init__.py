"""Observe live facilitation: code a practice set, debrief it, compare observers, score a rubric.

Modules: :mod:`~alcourse.observe.session` (what is coded), :mod:`~alcourse.observe.log`
(the CSV, saved atomically), :mod:`~alcourse.observe.debrief` (figures and page),
:mod:`~alcourse.observe.agree` (agreement between observers), :mod:`~alcourse.observe.rubric`
(competence scores by observers and the trainee).
"""
