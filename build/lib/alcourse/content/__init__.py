"""The course's body of knowledge as validated, typed data.

>>> from alcourse.content import load_course
>>> course = load_course()
>>> [p.title for p in course.collection("principles").items][:2]
['Learning from experience', 'Open to challenge']
"""

from alcourse.content.loader import ContentError, data_dir, load_course, load_file
from alcourse.content.model import Collection, Contrast, ContrastTable, Course, Item, Source, Term

__all__ = [
    "Collection",
    "ContentError",
    "Contrast",
    "ContrastTable",
    "Course",
    "Item",
    "Source",
    "Term",
    "data_dir",
    "load_course",
    "load_file",
]
