"""Internal moderation: a second marker re-marks a seeded, stratified sample of hand-marked work
(written reflections, and the lines a trainee typed in the simulator).

Steps (``alcourse moderate``): draw the sample and write the blind form
(:mod:`~alcourse.moderation.sample`, :mod:`~alcourse.moderation.forms`), import the
second marks and report agreement per criterion (:mod:`~alcourse.moderation.marks`),
then record the agreed marks in nbgrader's gradebook with an audit trail
(:mod:`~alcourse.moderation.record`). The gradebook is only read until a mark is agreed.
"""
