"""The competence framework: complete, sourced, levelled, and bad files fail with a location."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alcourse.content import ContentError, data_dir, load_course
from alcourse.content.model import LEVELS

# The areas a facilitator is assessed on in published frameworks (TAADEL502A, ILM- and
# NHS-endorsed programmes; see ../shared notes): each must be a competence of its own.
EXPECTED = {
    "competence.contracting", "competence.holding-process", "competence.questioning-listening",
    "competence.choosing-interventions", "competence.group-dynamics", "competence.support-challenge",
    "competence.set-independence", "competence.ethics-boundaries", "competence.reflective-practice",
}


def test_the_framework_has_every_competence_with_levels_and_a_source(course):
    assert set(course.competences) == EXPECTED
    for competence in course.competences.values():
        assert competence.level_ids() == LEVELS
        assert all(len(text.split()) >= 8 for text in competence.levels.values()), competence.id
        assert len(competence.indicators) >= 2, competence.id
        assert competence.source in course.sources, competence.id


def test_levels_describe_different_things(course):
    for competence in course.competences.values():
        assert len(set(competence.levels.values())) == len(LEVELS), competence.id


def test_lookup_names_the_known_competences(course):
    assert course.competence("ethics-boundaries").title.startswith("Ethics")
    with pytest.raises(KeyError, match=r"competence\.contracting"):
        course.competence("competence.nope")


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("modules"))
    path = folder / "competences.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder


def _line_of(folder: Path, needle: str) -> int:
    lines = (folder / "competences.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "field", "needle", "message"), [
    ("      strong: >-\n        Contracts at", "      best: >-\n        Contracts at",
     "levels", "id: competence.contracting", "give exactly not-yet, competent, strong"),
    ("    source: source.schon", "    source: source.nobody", "competence.reflective-practice.source",
     "id: competence.reflective-practice", "not a source"),
    ("    title: Holding the process", "    titel: Holding the process", "titel",
     "titel: Holding", "not a known field"),
])
def test_a_broken_framework_is_reported_with_file_line_and_field(tmp_path, old, new, field, needle, message):
    folder = _copy_with(tmp_path, old, new)
    with pytest.raises(ContentError) as caught:
        load_course(folder)
    text = str(caught.value)
    assert text.startswith(f"{folder / 'competences.yaml'}:") or "competences" in text
    assert field in text and message in text
    line = int(text.split(":")[1]) if text.startswith(str(folder)) else None
    if line is not None and needle:
        # the error points at the competence (or the key) that is wrong, not at line 1
        assert line >= _line_of(folder, needle) - 1
