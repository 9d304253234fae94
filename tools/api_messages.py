"""Babel extraction for drafting/api/: the Python strings marked for translation, as Babel's own
extractor finds them, and the English of the API reference page (/api/v1/docs).

That English has one home, the code, and the OpenAPI document (/api/v1/openapi.json) keeps it as it
is; the page looks each text up in the catalogue as it renders (the `translated` filter). This module
finds the same texts in the source so that `python -m tools.check_translations` puts them in the
catalogue and reports the missing ones:

- each route's docstring, split into summary and description by flask-smorest's own function, so
  that the msgid is exactly the text flask-smorest writes in the document;
- each `description` in a field's `metadata` (the schemas' fields, the query arguments);
- each `description` of a parameter written by hand (a dict with "name", "in" and "description").

babel.cfg maps drafting/api/ to this extractor (`[extractors]`), before the plain Python mapping.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from babel.messages.extract import extract_python
from flask_smorest import Blueprint
from flask_smorest.utils import load_info_from_docstring

HTTP_METHODS = tuple(method.lower() for method in Blueprint.HTTP_METHODS)


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel's extraction interface: (line number, function name, message, comments) tuples."""
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    tree = ast.parse(source)
    for lineno, text in reference_texts(tree):
        yield lineno, None, text, []


def reference_texts(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """The texts of a module that the API reference page shows, with their line numbers."""
    blueprints = _smorest_blueprints(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_route(node, blueprints):
            yield from _docstring_info(node)
        elif isinstance(node, ast.ClassDef) and _is_route(node, blueprints):  # a MethodView: one per method
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and method.name in HTTP_METHODS:
                    yield from _docstring_info(method)
        elif isinstance(node, ast.keyword) and node.arg == "metadata" and isinstance(node.value, ast.Dict):
            yield from _description(node.value)
        elif isinstance(node, ast.Dict) and {"name", "in"} <= _keys(node):
            yield from _description(node)


def _docstring_info(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[int, str]]:
    # The docstring as the function's __doc__ holds it; flask-smorest trims, splits and dedents it.
    docstring = ast.get_docstring(function, clean=False)
    if not docstring:
        return
    info = load_info_from_docstring(docstring, delimiter=Blueprint.DOCSTRING_INFO_DELIMITER)
    for part in ("summary", "description"):
        if info.get(part):
            yield function.body[0].lineno, info[part]


def _keys(node: ast.Dict) -> set[str]:
    return {key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}


def _description(node: ast.Dict) -> Iterator[tuple[int, str]]:
    for key, value in zip(node.keys, node.values, strict=True):
        if (isinstance(key, ast.Constant) and key.value == "description"
                and isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value):
            yield value.lineno, value.value


def _smorest_blueprints(tree: ast.Module) -> set[str]:
    """The module-level names bound to a flask-smorest Blueprint (not to Flask's own, whose routes
    are pages, not operations of the API)."""
    classes, modules = set(), set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "flask_smorest":
            classes |= {alias.asname or alias.name for alias in node.names if alias.name == "Blueprint"}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "flask_smorest"}
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _is_blueprint_class(
                node.value.func, classes, modules):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def _is_blueprint_class(func: ast.expr, classes: set[str], modules: set[str]) -> bool:
    if isinstance(func, ast.Name):
        return func.id in classes
    return (isinstance(func, ast.Attribute) and func.attr == "Blueprint" and isinstance(func.value, ast.Name)
            and func.value.id in modules)


def _is_route(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, blueprints: set[str]) -> bool:
    return any(isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
               and decorator.func.attr == "route" and isinstance(decorator.func.value, ast.Name)
               and decorator.func.value.id in blueprints
               for decorator in node.decorator_list)
