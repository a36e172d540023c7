"""Markdown for content items, shared by notebooks and book pages."""

from __future__ import annotations

from alcourse.content.model import Collection, ContrastTable, Course, Item


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_table(table: ContrastTable, course: Course) -> str:
    lines = [f"## {table.title}", "", table.intro, ""]
    lines += ["| | Traditional learning | Action learning | What the difference means |",
              "|---|---|---|---|"]
    for row in table.rows:
        lines.append(f"| {_cell(row.aspect)} | {_cell(row.traditional)} | {_cell(row.action)} "
                     f"| {_cell(row.explanation)} |")
    lines += ["", f"*Source: {course.sources[table.source].citation}*"]
    return "\n".join(lines)


def render_item(item: Item, number: int | None = None, course: Course | None = None,
                inherited_source: str = "") -> str:
    """One item; its own source is cited when it differs from its collection's."""
    head = f"{number}. " if number is not None else ""
    parts = [f"### {head}{item.title}", ""]
    if item.quote:
        parts += [f"> {item.quote}", ""]
    parts.append(item.text)
    if item.detail:
        parts += ["", item.detail]
    if item.in_practice:
        parts += ["", f"**In a meeting:** {item.in_practice}"]
    if item.breaks:
        parts += ["", f"**What breaks it:** {item.breaks}"]
    if item.examples:
        parts += ["", "**Examples:**", ""] + [f"- {e}" for e in item.examples]
    if course is not None and item.source and item.source != inherited_source:
        parts += ["", f"*Source: {course.sources[item.source].citation}*"]
    return "\n".join(parts)


def render_collection(collection: Collection, course: Course) -> str:
    lines = [f"## {collection.title}", "", collection.intro, ""]
    numbered = collection.kind == "steps"
    for n, item in enumerate(collection.items, start=1):
        lines += [render_item(item, n if numbered else None, course, collection.source), ""]
    if collection.source:
        lines.append(f"*Source: {course.sources[collection.source].citation}*")
    return "\n".join(lines).rstrip()


def render_show(target: str, course: Course) -> str:
    """Markdown for a ``show:`` block: a collection, a table or a single item."""
    if target in course.tables:
        return render_table(course.tables[target], course)
    if target in course.collections:
        return render_collection(course.collections[target], course)
    item = course.item(target)
    if isinstance(item, Item):
        return render_item(item, course=course)
    raise KeyError(f"cannot show {target!r} on its own; show its collection or table")
