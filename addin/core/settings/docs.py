"""The documentation of each setting: the docstring written under its field.

Read from the source only when a commented ``pmo.toml`` is written: reading every settings
module's source with ``inspect`` at import time would cost 50 ms of each ``pmo`` start and
ribbon click, for text only ``pmo config init`` shows.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from functools import cache


@cache
def _own_docs(cls: type) -> dict[str, str]:
    """The docstrings under the annotated attributes of one class body (not its bases)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # pragma: no cover - no source (frozen application)
        return {}
    body = ast.parse(source).body
    if not body or not isinstance(body[0], ast.ClassDef):  # pragma: no cover - defensive
        return {}
    docs: dict[str, str] = {}
    statements = body[0].body
    for here, after in itertools.pairwise(statements):
        if (
            isinstance(here, ast.AnnAssign)
            and isinstance(here.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[here.target.id] = inspect.cleandoc(after.value.value)
    return docs


def field_doc(cls: type, name: str) -> str | None:
    """The docstring of field ``name`` of a settings class, from the class that declares it."""
    for klass in cls.__mro__:
        doc = _own_docs(klass) if klass.__module__.startswith("addin.") else {}
        if name in doc:
            return doc[name]
    return None
