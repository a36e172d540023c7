"""Module 10, the in-house set adviser: same shape as the others, in the book and the lite site."""

from __future__ import annotations

import shutil

from alcourse.content import data_dir
from alcourse.curriculum.build import generated_files
from alcourse.located import read_yaml

MODULE = "m10-in-house-adviser"
TOPICS = ("inhouse.pre-meeting", "inhouse.three-way", "inhouse.dual-relationships", "conf.safeguarding",
          "conf.fitness-to-practise", "conf.crime", "conf.risk-to-member", "conf.adviser-notes",
          "conf.referring-on", "inhouse.endings", "online.turn-taking", "online.silence",
          "online.cameras", "online.breakouts", "inhouse.supervision")


def test_module_has_the_shape_of_the_others(curriculum):
    module = curriculum.module(MODULE)
    assert len(module.objectives) >= 4
    checked = set(module.checks())
    specs = module.exercise_specs()
    assert len(specs) >= 3 and {s.id for s in specs} <= checked
    for spec in specs:
        ex = curriculum.exercise(spec.id)
        assert all(o.feedback for q in ex.questions for o in q.options)
    (reflection,) = module.reflections()
    assert all(c.levels for c in reflection.criteria) and reflection.exemplar is not None


def test_every_in_house_topic_is_taught_and_graded_in_the_module(curriculum):
    module = curriculum.module(MODULE)
    graded = {c for s in module.exercise_specs() for q in curriculum.exercise(s.id).questions
              for c in q.covers}
    graded |= {c for r in module.reflections() for c in r.covers}
    page = generated_files(curriculum)[f"book/modules/{MODULE}.md"]
    for topic in TOPICS:
        assert topic in graded, topic
        assert curriculum.course.item(topic).title in page, topic


def test_module_is_in_the_book_toc_and_notebooks(curriculum):
    files = generated_files(curriculum)
    assert f"book/modules/{MODULE}" in files["_toc.yml"]
    assert f"notebooks/{MODULE}/{MODULE}.ipynb" in files


def test_module_is_in_the_lite_site(tmp_path):
    from alcourse.publish.lite import write_contents
    from tests.conftest import ROOT

    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks" / MODULE, notebooks / MODULE)
    written = write_contents(notebooks, tmp_path / "files", tmp_path / "work")
    assert [p.relative_to(tmp_path / "files").as_posix() for p in written] == [
        f"{MODULE}/{MODULE}.ipynb"]


def test_sources_are_linked_or_say_what_was_not_checked(course):
    raw = read_yaml(data_dir() / "canon-in-house.yaml")
    for source in raw["sources"]:
        honest = any(w in source["citation"] for w in ("not read", "not checked", "not confirmed",
                                                      "Read for this course"))
        assert source.get("url") or honest, source["id"]
    for item_id in TOPICS:
        item = course.item(item_id)
        assert item.source or any(item.id in [i.id for i in c.items] and c.source
                                  for c in course.collections.values()), item_id
