"""Field descriptions from docstrings, read only when something asks for them.

Every field of the scenario format is described by the docstring under it (the string right after
the field), as with pydantic's `use_attribute_docstrings`. Those words are for people: the JSON
Schema (`python -m sim schema`, editors) and the reference pages (docs/generate.py) show them;
validating and running a scenario never reads them. pydantic's option would read and parse the
source of every model when it is defined, about 40 ms of every run, so the models leave it off and
`describe_fields` fills the same descriptions in when they are first needed (`json_schema` calls it).
"""

from __future__ import annotations

import ast
import inspect
import sys

from pydantic import BaseModel

#: The models whose descriptions are filled in already.
_DESCRIBED: set[type[BaseModel]] = set()


def field_docstrings(cls: type) -> dict[str, str]:
    """{field name: its docstring} of a class defined at the top level of its module: each string
    statement right after an annotated name, cleaned as a docstring (inspect.cleandoc)."""
    tree = ast.parse(inspect.getsource(sys.modules[cls.__module__]))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__).body
    docs = {}
    for field, doc in zip(body, body[1:]):
        if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)):
            docs[field.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def describe_fields(models: list[type[BaseModel]]) -> None:
    """Give each field of `models` its docstring as description (a description given in the code
    stays), and rebuild each model so that its JSON Schema shows them. `models` lists each model
    after the models its fields hold: a rebuilt model takes in the schemas of those as they are.
    Once per model: later calls do nothing."""
    for model in models:
        if model in _DESCRIBED:
            continue
        docs = field_docstrings(model)
        for name, field in model.model_fields.items():
            if field.description is None and name in docs:
                field.description = docs[name]
        model.model_rebuild(force=True)
        _DESCRIBED.add(model)
