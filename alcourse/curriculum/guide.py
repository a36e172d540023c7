"""The trainer's marking guide: every written reflection with its mark scheme and model answer.

nbgrader's formgrader shows a trainee's answer but not the mark scheme (that
lives in the source notebook's solution region, which is never released), so
trainers keep this page open beside formgrader. There is one page per module
(what a trainer marks at a time) and one long page for all modules; each has
a contents list with anchors.

>>> from alcourse.curriculum import load_curriculum
>>> html = marking_guide_html(load_curriculum())
>>> "<h2" in html and "Mark scheme" in html and 'href="#m03-traditional-vs-action-learning"' in html
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alcourse.content.model import LEVELS
from alcourse.curriculum.loader import Curriculum
from alcourse.curriculum.model import Criterion, Module, OwnWords, Reflection
from alcourse.session import own_words_grade_id, reflection_grade_id

ALL_MODULES = "marking-guide.html"
PER_MODULE = "marking-guide"  # folder beside it: one MODULE.html each


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def _criterion(criterion: Criterion, cur: Curriculum) -> dict[str, Any]:
    return {"line": criterion.line(), "id": criterion.id,
            "competences": ", ".join(cur.course.competence(t).title for t in criterion.competences) or "none",
            "levels": [{"marks": f"{criterion.levels[level].marks:g}", "text": criterion.levels[level].text}
                       for level in LEVELS] if criterion.levels else []}


def _reflection(ref: Reflection, cur: Curriculum) -> dict[str, Any]:
    exemplar = ref.exemplar
    return {"id": ref.id, "anchor": _anchor(ref.id), "points": ref.points,
            "grade_id": reflection_grade_id(ref.id), "prompt": ref.prompt,
            "pass_mark": f"{ref.pass_mark:g}", "criteria": [_criterion(c, cur) for c in ref.criteria],
            "exemplar": None if exemplar is None else {
                "text": exemplar.text, "why": exemplar.why, "total": f"{exemplar.total:g}",
                "marks": [{"id": c.id, "marks": f"{exemplar.marks[c.id]:g}", "points": f"{c.points:g}"}
                          for c in ref.criteria]},
            "model_answer": ref.model_answer}


def _own_words(sim_id: str, own: OwnWords, cur: Curriculum) -> dict[str, Any]:
    # marked like a reflection, on the lines the notebook shows above the grade cell
    return {"id": own.id, "anchor": _anchor(own.id), "points": own.points,
            "grade_id": own_words_grade_id(sim_id),
            "prompt": f"{own.prompt} (The cell above the grade cell shows each line the trainee typed "
                      f"in simulation {sim_id}, with its meeting, what was said just before, the event "
                      "and the category the trainee named.)",
            "pass_mark": f"{own.pass_mark:g}", "criteria": [_criterion(c, cur) for c in own.criteria],
            "exemplar": None, "model_answer": own.model_answer}


def _module(module: Module, cur: Curriculum) -> dict[str, Any]:
    own = [_own_words(sim.id, sim.own_words, cur) for sim in module.simulations() if sim.own_words]
    return {"anchor": _anchor(module.id), "number": module.number, "title": module.title,
            "pass_threshold": f"{module.pass_threshold:.0%}",
            "reflections": [_reflection(ref, cur) for ref in module.reflections()] + own}


def _page(cur: Curriculum, title: str, modules: list[Module], all_href: str,
          others: list[dict[str, Any]]) -> str:
    from alcourse.render import render

    levels = [lv.replace("-", " ").capitalize() for lv in LEVELS]
    return render("grading/marking-guide.html.j2", title=title, modules=[_module(m, cur) for m in modules],
                  all_href=all_href, others=others, levels=levels)


def _ordered(cur: Curriculum) -> list[Any]:
    return sorted(cur.modules.values(), key=lambda m: m.number)


def marking_guide_html(cur: Curriculum, course_name: str = "alcourse", all_name: str = ALL_MODULES) -> str:
    """The all-modules page: self-contained, accessible HTML (no scripts, no external files)."""
    modules = _ordered(cur)
    others = [{"href": f"{PER_MODULE}/{m.id}.html", "number": m.number} for m in modules]
    return _page(cur, f"Marking guide — {course_name}: all modules", modules, all_name, others)


def module_guide_html(cur: Curriculum, module_id: str, all_name: str = ALL_MODULES) -> str:
    """One module's page, linked to the others and to the all-modules page."""
    module = cur.module(module_id)
    others = [{"href": f"{m.id}.html", "number": m.number} for m in _ordered(cur) if m.id != module_id]
    return _page(cur, f"Marking guide — Module {module.number}: {module.title}", [module], f"../{all_name}",
                 others)


def write_marking_guides(cur: Curriculum, all_page: Path) -> dict[str, Path]:
    """Write the all-modules page to ``all_page`` and one page per module beside it.

    Returns module id -> page, with the all-modules page under ``"all"``.
    """
    folder = all_page.parent
    (folder / PER_MODULE).mkdir(parents=True, exist_ok=True)
    all_page.write_text(marking_guide_html(cur, all_name=all_page.name), encoding="utf-8")
    pages = {"all": all_page}
    for module in _ordered(cur):
        path = folder / PER_MODULE / f"{module.id}.html"
        path.write_text(module_guide_html(cur, module.id, all_page.name), encoding="utf-8")
        pages[module.id] = path
    return pages
