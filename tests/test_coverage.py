"""Every content item, seed items included, is taught on a book page and graded somewhere."""

from __future__ import annotations

from alcourse.curriculum.build import generated_files
from alcourse.curriculum.render import render_show


def _shown(curriculum) -> dict[str, str]:
    """Item id → module whose page shows it (directly or through its collection or table)."""
    course = curriculum.course
    shown: dict[str, str] = {}
    for module in curriculum.modules.values():
        for block in module.blocks:
            if not block.show:
                continue
            if block.show in course.collections:
                ids = [i.id for i in course.collections[block.show].items]
            elif block.show in course.tables:
                ids = [r.id for r in course.tables[block.show].rows]
            else:
                ids = [block.show]
            for item_id in ids:
                shown.setdefault(item_id, module.id)
    return shown


def _graded(curriculum) -> set[str]:
    graded: set[str] = set()
    for module in curriculum.modules.values():
        checked = set(module.checks())
        for spec in module.exercise_specs():
            if spec.id in checked:
                for question in curriculum.exercise(spec.id).questions:
                    graded.update(question.covers)
        for reflection in module.reflections():
            graded.update(reflection.covers)
    return graded


def test_every_item_is_taught_on_a_book_page(curriculum):
    shown = _shown(curriculum)
    missing = [i for i in curriculum.course.all_ids() if i not in shown]
    assert missing == [], f"not shown on any page: {missing}"
    pages = generated_files(curriculum)
    for item_id, module_id in shown.items():
        item = curriculum.course.item(item_id)
        page = pages[f"book/modules/{module_id}.md"]
        words = getattr(item, "title", None) or getattr(item, "action", "")
        assert words in page, (item_id, module_id)


def test_every_item_is_exercised_in_a_graded_item(curriculum):
    graded = _graded(curriculum)
    missing = [i for i in curriculum.course.all_ids() if i not in graded]
    assert missing == [], f"not exercised in any graded item: {missing}"


def test_seed_items_are_part_of_the_coverage(curriculum):
    ids = set(curriculum.course.all_ids())
    for seed_id in ("principle.listened-to", "contrast.customer", "responsibility.use-the-set",
                    "question.how", "intention.support-challenge", "adviser.role",
                    "overview.learning-organisation"):
        assert seed_id in ids


def test_a_show_block_renders_the_item_text(curriculum):
    text = render_show("collection.principles", curriculum.course)
    for item in curriculum.course.collection("principles").items:
        assert item.text in text and item.quote in text
