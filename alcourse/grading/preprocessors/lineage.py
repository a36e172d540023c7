"""What a preprocessor reaches through its traitlets parents (exporter, converter, API).

nbgrader makes each preprocessor with the exporter as its ``parent``, the exporter with
the converter (``Autograde``) and the converter with the ``NbGraderAPI`` that runs it. Live
objects (nbgrader's course directory, a worker's kernel pool) cannot travel in traitlets
configuration (it deep-copies every value), so a preprocessor finds them up this chain.

>>> class Node:
...     def __init__(self, parent=None, **attrs):
...         self.parent = parent
...         self.__dict__.update(attrs)
>>> find_up(Node(Node(Node(pool="P"))), "pool")
'P'
>>> find_up(Node(), "pool") is None
True
"""

from __future__ import annotations

from typing import Any


def find_up(node: Any, name: str) -> Any:
    """The first ``name`` that is not None on ``node``'s parents (not ``node`` itself), or None."""
    node = getattr(node, "parent", None)
    while node is not None:
        value = getattr(node, name, None)
        if value is not None:
            return value
        node = getattr(node, "parent", None)
    return None
