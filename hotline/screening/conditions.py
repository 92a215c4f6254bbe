"""A small, safe condition language for scripts (``show_if`` and scoring rules).

Examples::

    recruited_abroad == "yes"
    has("DOCS_TAKEN") and not flag("minor")
    category("control") >= 2 or score() >= 8
    act() and means() and purpose()

Expressions are parsed with Python's ``ast`` and only the node types below are allowed:
names (question ids, standing for their answers), string/number/boolean constants,
comparisons, ``and``/``or``/``not``, and calls to the functions of ``State``. Nothing is
ever passed to ``eval``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FUNCTIONS = ("answer", "has", "flag", "category", "score", "act", "means", "purpose", "answered")


class ConditionError(ValueError):
    """A condition that cannot be parsed or uses something not allowed."""


@dataclass(frozen=True)
class Condition:
    source: str
    tree: ast.Expression

    def names(self) -> set[str]:
        """Question ids the condition reads as bare names."""
        found: set[str] = set()
        functions: set[int] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                functions.add(id(node.func))
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and id(node) not in functions:
                found.add(node.id)
        return found - {"True", "False", "None"}


_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq,
    ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Load,
    ast.Constant, ast.Call, ast.Tuple, ast.List,
)  # fmt: skip


def parse(source: str) -> Condition:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ConditionError(f"cannot read the condition {source!r}: {error.msg}") from error
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ConditionError(f"{type(node).__name__} is not allowed in {source!r}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise ConditionError(
                    f"unknown function in {source!r}; known: {', '.join(FUNCTIONS)}"
                )
            if node.keywords:
                raise ConditionError(f"named arguments are not allowed in {source!r}")
        if isinstance(node, ast.Constant) and not isinstance(
            node.value, str | int | float | bool | type(None)
        ):
            raise ConditionError(f"constant {node.value!r} is not allowed in {source!r}")
    return Condition(source, tree)


class Evaluator:
    """Evaluates parsed conditions against a state exposing the allowed functions."""

    def __init__(self, answers: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]):
        self._answers = answers
        self._functions = functions

    def __call__(self, condition: Condition) -> bool:
        return bool(self._eval(condition.tree.body))

    def _eval(self, node: ast.AST) -> Any:
        match node:
            case ast.Constant(value=value):
                return value
            case ast.Name(id=name):
                if name in ("True", "False", "None"):
                    return {"True": True, "False": False, "None": None}[name]
                return self._answers.get(name)
            case ast.Tuple(elts=elements) | ast.List(elts=elements):
                return tuple(self._eval(e) for e in elements)
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return not self._eval(operand)
            case ast.BoolOp(op=ast.And(), values=values):
                return all(self._eval(v) for v in values)
            case ast.BoolOp(op=ast.Or(), values=values):
                return any(self._eval(v) for v in values)
            case ast.Compare(left=left, ops=ops, comparators=rights):
                current = self._eval(left)
                for op, right_node in zip(ops, rights, strict=True):
                    right = self._eval(right_node)
                    if not _compare(op, current, right):
                        return False
                    current = right
                return True
            case ast.Call(func=ast.Name(id=name), args=args):
                return self._functions[name](*(self._eval(a) for a in args))
        raise ConditionError(f"cannot evaluate {ast.dump(node)}")


def _compare(op: ast.cmpop, left: Any, right: Any) -> bool:
    try:
        match op:
            case ast.Eq():
                return bool(left == right)
            case ast.NotEq():
                return bool(left != right)
            case ast.In():
                return left in right if right is not None else False
            case ast.NotIn():
                return left not in right if right is not None else True
        if left is None or right is None:
            return False
        match op:
            case ast.Lt():
                return bool(left < right)
            case ast.LtE():
                return bool(left <= right)
            case ast.Gt():
                return bool(left > right)
            case ast.GtE():
                return bool(left >= right)
    except TypeError:
        return False
    return False
