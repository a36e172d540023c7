"""Levelled mark schemes: every criterion has quality levels, every reflection a borderline exemplar."""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from alcourse.content import ContentError, data_dir
from alcourse.content.model import LEVELS
from alcourse.curriculum import load_curriculum
from alcourse.curriculum.guide import marking_guide_html
from alcourse.located import read_yaml

# Things a marker cannot see in a text: the writer's mind, or what they could or could not do.
UNOBSERVABLE = re.compile(r"could not answer|couldn't answer|the writer (thinks|knows|feels)|"
                          r"\bunderstands\b|\bis aware\b|\bgenuine(ly)?\b|\breally\b", re.I)


def _reflections(curriculum):
    return [r for m in curriculum.modules.values() for r in m.reflections()]


def test_every_criterion_has_three_levels_with_rising_marks(curriculum):
    for ref in _reflections(curriculum):
        assert ref.criteria, ref.id
        for c in ref.criteria:
            assert tuple(c.levels) == LEVELS, (ref.id, c.id)
            marks = [c.levels[level].marks for level in LEVELS]
            assert marks[0] == 0 < marks[1] <= marks[2] == c.points, (ref.id, c.id)
            assert len({lv.text for lv in c.levels.values()}) == 3, (ref.id, c.id)


def test_criteria_name_what_a_marker_can_see(curriculum):
    for ref in _reflections(curriculum):
        for c in ref.criteria:
            for text in (c.text, *(lv.text for lv in c.levels.values())):
                assert not UNOBSERVABLE.search(text), (ref.id, c.id, text)


def test_every_reflection_has_a_borderline_exemplar_whose_why_states_its_marks(curriculum):
    for ref in _reflections(curriculum):
        ex = ref.exemplar
        assert ex is not None, ref.id
        assert set(ex.marks) == {c.id for c in ref.criteria}
        for cid, mark in ex.marks.items():
            assert mark in {lv.marks for lv in ref.criterion(cid).levels.values()}, (ref.id, cid)
        # borderline: within two marks of the pass mark, and the why says so in numbers
        assert abs(ex.total - ref.pass_mark) <= 2, ref.id
        stated = re.search(r"\(([\d.]+) of (\d+); pass mark ([\d.]+)\)", ex.why)
        assert stated, ref.id
        assert (float(stated[1]), int(stated[2]), float(stated[3])) == (
            ex.total, ref.points, ref.pass_mark), ref.id
        verdict = "pass" if ex.total >= ref.pass_mark else "fail"
        assert ex.why.lower().startswith(f"borderline {verdict}"), ref.id


def test_every_module_states_its_pass_threshold(curriculum):
    for module in curriculum.modules.values():
        raw = read_yaml(data_dir() / "modules" / f"{module.id}.yaml")
        assert "pass_threshold" in raw, module.id
        assert 0.5 <= module.pass_threshold <= 0.8, module.id


def test_the_marking_guide_shows_levels_exemplars_and_thresholds(curriculum):
    text = unescape(marking_guide_html(curriculum))
    for module in curriculum.modules.values():
        for ref in module.reflections():
            block = text.split(f'">{ref.id} (', 1)[1].split("<h3", 1)[0]
            for c in ref.criteria:
                for level in c.levels.values():
                    assert level.text in block, (ref.id, c.id)
            assert ref.exemplar.text in block and ref.exemplar.why in block
            assert f"Pass mark: {ref.pass_mark:g} of {ref.points}" in block
    assert text.count("Module pass threshold") == len(curriculum.modules)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("competent: {marks: 0.5, text: \"One moment", "competent: {marks: 0, text: \"One moment",
     "must rise from 0"),
    ("            strong: {marks: 1, text: \"As competent, with the words used",
     "            best: {marks: 1, text: \"As competent, with the words used", "give exactly"),
    ("  marks: {moment: 1,", "  marks: {moment: 0.7,", "use one of its level marks"),
])
def test_a_broken_mark_scheme_is_reported_with_file_line_and_field(tmp_path, old, new, message):
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "modules" / "m02-key-principles.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load_curriculum(folder)
    err = str(caught.value)
    assert err.startswith(f"{path}:") and message in err
    assert int(err.split(":")[1]) > 1
