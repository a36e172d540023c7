"""Curriculum modules: each is one nbgrader assignment, notebook and book chapter.

>>> from alcourse.curriculum import load_curriculum
>>> cur = load_curriculum()
>>> "m03-traditional-vs-action-learning" in cur.modules
True
"""

from alcourse.curriculum.loader import Curriculum, load_curriculum, load_module
from alcourse.curriculum.model import Block, ExerciseSpec, Module, Reflection

__all__ = ["Block", "Curriculum", "ExerciseSpec", "Module", "Reflection", "load_curriculum",
           "load_module"]
