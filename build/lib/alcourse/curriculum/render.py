"""Markdown for content items, shared by notebooks and book pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# --- glossary cross-references (book pages only: notebooks do not render MyST roles) ---

# Words that are also everyday English ("set out", "a problem with the printer") are linked
# only after an article or determiner, where they are most likely the course's term.
_DETERMINERS = r"(?:a|an|the|each|every|your|this|that|their|our|one|its)\s+"
# spans left alone: inline code, roles, links, HTML tags, bold/italic markers stay outside
_PROTECTED = re.compile(r"(`[^`]*`|\{[\w:-]+\}`[^`]*`|\[[^\]]*\]\([^)]*\)|<[^>]+>|\$[^$]*\$)")


@dataclass(frozen=True)
class _TermPattern:
    target: str  # the glossary entry, exactly as written there
    pattern: re.Pattern[str]


def _term_patterns(terms: list[str]) -> list[_TermPattern]:
    patterns = []
    plain = {target: re.sub(r"\s*\([^)]*\)\s*$", "", target).strip() for target in terms}
    # longest first, so "set adviser" wins over "set"
    for target in sorted(terms, key=len, reverse=True):
        words = plain[target]  # "programmed knowledge (P)" is written "programmed knowledge"
        body = re.escape(words).replace(r"\ ", r"\s+")
        lead = _DETERMINERS if " " not in words else ""
        # "set" must not be found at the start of "set adviser", linked or not
        longer = [p[len(words):].strip() for p in plain.values()
                  if p.lower().startswith(words.lower() + " ")]
        not_longer = "".join(rf"(?!\s+{re.escape(rest).replace(chr(92) + ' ', chr(92) + 's+')})"
                             for rest in longer)
        patterns.append(_TermPattern(target, re.compile(
            rf"(?<![\w{{`<\[-])(?P<lead>{lead})(?P<term>{body}(?:s|es)?)(?![\w`>-]){not_longer}",
            re.IGNORECASE)))
    return patterns


def link_terms(markdown: str, terms: list[str], skip: set[str] | None = None) -> str:
    """Link the first use of each glossary term in ``markdown`` to its glossary entry.

    Only prose is touched: headings, fenced blocks, directives, tables' separator rows,
    inline code, links and roles are left as they are. ``skip`` holds terms not to link
    (e.g. the entry being defined); linked terms are added to it.

    >>> link_terms("The set meets. The set adviser listens to the set.", ["set", "set adviser"])
    'The {term}`set <set>` meets. The {term}`set adviser <set adviser>` listens to the set.'
    >>> link_terms("We set out the `set` rules.", ["set"])
    'We set out the `set` rules.'
    """
    done = skip if skip is not None else set()
    patterns = _term_patterns(terms)
    out, fenced = [], False
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", ":::")):  # opens or closes a fenced block
            fenced = not fenced
            out.append(line)
            continue
        # headings, labels, comments, directive options, citations, table rules: as they are
        if fenced or stripped.startswith(("#", "(", "<!--", ":", "*Source")) or re.fullmatch(
                r"\|?[\s|:-]+\|?", stripped):
            out.append(line)
            continue
        for tp in patterns:
            if tp.target not in done:
                line = _link_first(line, tp)
                if "{term}`" in line and f"<{tp.target}>`" in line:
                    done.add(tp.target)
        out.append(line)
    return "\n".join(out)


def _link_first(line: str, tp: _TermPattern) -> str:
    # split again for every term: a role inserted for a longer term is protected from shorter ones
    pieces = _PROTECTED.split(line)
    for i in range(0, len(pieces), 2):  # even pieces are unprotected text
        match = tp.pattern.search(pieces[i])
        if match:
            role = f"{{term}}`{match['term']} <{tp.target}>`"
            pieces[i] = pieces[i][:match.start("term")] + role + pieces[i][match.end("term"):]
            break
    return "".join(pieces)
