"""The content model: every seed idea is present, and bad files fail with a location."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from alcourse.content import ContentError, data_dir, load_course

SEED = Path(__file__).parent / "data" / "seed.txt"


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"[\s-]+", " ", text).strip().lower()


def _seed_bullets() -> list[str]:
    return [line.split("\u2022", 1)[1].strip() for line in SEED.read_text().splitlines()
            if "\u2022" in line]


def test_counts_match_the_seed(course):
    assert len(course.collection("principles").items) == 5
    assert len(course.table("margerison").rows) == 7
    assert len(course.collection("responsibilities").items) == 4
    questions = [i for i in course.collection("process").items if i.id.startswith("question.")]
    assert len(questions) == 4
    assert len(course.collection("intentions").items) == 8
    assert course.item("adviser.role").quote


def test_every_seed_bullet_is_quoted_in_the_content(course):
    quotes = [_norm(getattr(i, "quote", "")) for c in course.collections.values() for i in c.items]
    bullets = _seed_bullets()
    assert len(bullets) == 5 + 4 + 4 + 8
    for bullet in bullets:
        assert any(_norm(bullet) in q or (q in _norm(bullet) and len(q) > 20) for q in quotes), bullet


def test_every_table_row_of_the_seed_is_a_contrast(course):
    text = SEED.read_text()
    rows = course.table("margerison").rows
    for row in rows:
        assert row.traditional + row.action in text.replace("\t", ""), row.id
    assert "Margerison" in course.sources[course.table("margerison").source].citation


def test_seed_paragraphs_are_taught(course):
    text = _norm(SEED.read_text())
    for item_id in ("process.account", "process.members-comment", "adviser.role",
                    "overview.step-change"):
        assert _norm(course.item(item_id).quote) in text, item_id


def test_ids_are_unique_and_stable(course):
    ids = course.all_ids()
    assert len(ids) == len(set(ids))
    assert "principle.open-to-challenge" in ids


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_missing_field_names_file_line_item_and_field(tmp_path):
    data = _copy_data(tmp_path)
    seed = data / "seed.yaml"
    _break(seed, "        title: Open to challenge\n", "")
    with pytest.raises(ContentError) as err:
        load_course(data)
    message = str(err.value)
    assert message.startswith(f"{seed}:")
    assert "collections[1].items[1].title" in message
    assert "is missing" in message
    assert err.value.line == _line_of(seed, "id: principle.open-to-challenge")


def test_unknown_field_lists_what_is_allowed(tmp_path):
    data = _copy_data(tmp_path)
    seed = data / "seed.yaml"
    _break(seed, "        title: Open to challenge", "        titel: Open to challenge")
    with pytest.raises(ContentError, match=r"titel: is not a known field; allowed: id, title"):
        load_course(data)


def test_duplicate_id_is_reported_with_both_places(tmp_path):
    data = _copy_data(tmp_path)
    seed = data / "seed.yaml"
    first = _line_of(seed, "id: principle.open-to-challenge")
    second = _line_of(seed, "id: principle.listened-to")
    _break(seed, "id: principle.listened-to", "id: principle.open-to-challenge")
    with pytest.raises(ContentError, match=rf"used twice \(also in seed.yaml:{first}\)") as err:
        load_course(data)
    assert err.value.line == second


def test_yaml_syntax_error_gives_a_line(tmp_path):
    data = _copy_data(tmp_path)
    seed = data / "seed.yaml"
    _break(seed, "  - id: collection.principles\n", "  - id: collection.principles\n   bad: [\n")
    with pytest.raises(ContentError) as err:
        load_course(data)
    assert err.value.field == "(syntax)"
    assert err.value.line >= _line_of(seed, "id: collection.principles")


def test_bad_id_and_unknown_source(tmp_path):
    data = _copy_data(tmp_path)
    seed = data / "seed.yaml"
    _break(seed, "id: principle.more-choices", "id: Principle More")
    with pytest.raises(ContentError, match="is not allowed; use lower-case"):
        load_course(data)
    data2 = _copy_data(tmp_path / "b")
    _break(data2 / "seed.yaml", "source: source.margerison", "source: source.nobody")
    with pytest.raises(ContentError, match=r"table.margerison.source: names 'source.nobody'"):
        load_course(data2)


def test_wrong_type_and_empty_file(tmp_path):
    data = _copy_data(tmp_path)
    _break(data / "seed.yaml", "kind: steps", "kind: stairs")
    with pytest.raises(ContentError, match=r"kind: is 'stairs'; allowed: one of 'list'"):
        load_course(data)
    empty = _copy_data(tmp_path / "e")
    (empty / "extra.yaml").write_text("")
    with pytest.raises(ContentError, match=r"extra.yaml:1: \(file\): is empty"):
        load_course(empty)


def test_a_key_with_a_colon_keeps_the_error_format_unambiguous(tmp_path):
    # found by the scenario fuzzer: ':' typed before a comment turns the comment into a key
    data = _copy_data(tmp_path)
    seed = data / "seed.yaml"
    _break(seed, "# The seed:", ":# The seed:")
    with pytest.raises(ContentError) as err:
        load_course(data)
    assert re.match(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$",
                    str(err.value), re.DOTALL), str(err.value)
    assert err.value.line == 1 and err.value.field == "seed.(key on this line)"
    assert "the key ':# The seed'" in err.value.message and "is not a known field" in err.value.message
