"""Parse, validate and execute GraphQL requests like Numerai's Absinthe server.

Absinthe accepts snake_case field and argument names by converting them to
camelCase, and returns each result under the name the client sent. numerapi
3.1.1 relies on that (`apiTokens { public_id }`) and also declares `String`
variables where the schema wants `ID`, so validation allows that too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from importlib import resources
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    NameNode,
    Visitor,
    build_schema,
    execute,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.validation import VariablesInAllowedPositionRule

_STRING_FOR_ID = re.compile(
    r"of type 'String(!?)' used in position expecting type 'ID(!?)'"
)


@functools.cache
def load_schema() -> GraphQLSchema:
    """Build Numerai's schema from the SDL copy shipped in this package."""
    text = resources.files("core.demo").joinpath("numerai-schema.graphql").read_text()
    return build_schema(text)


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class _CamelCaser(Visitor):
    """Renames snake_case fields and arguments, keeping the sent name as alias."""

    def enter_field(self, node: FieldNode, *_args: Any) -> FieldNode | None:
        name = node.name.value
        if "_" not in name.strip("_"):
            return None
        alias = node.alias or NameNode(value=name)
        return replace(node, alias=alias, name=NameNode(value=camel_case(name)))

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> ArgumentNode | None:
        name = node.name.value
        if "_" not in name.strip("_"):
            return None
        return replace(node, name=NameNode(value=camel_case(name)))


class _LenientVariablePositions(VariablesInAllowedPositionRule):
    """Reports variable type mismatches except `String` passed where `ID` is."""

    def report_error(self, error: GraphQLError) -> None:
        match = _STRING_FOR_ID.search(error.message)
        if match:
            var_non_null, location_non_null = match.groups()
            if var_non_null or not location_non_null:
                return
        super().report_error(error)


_RULES = [
    _LenientVariablePositions if rule is VariablesInAllowedPositionRule else rule
    for rule in specified_rules
]


def run_query(body: Any, root_value: dict[str, Any], context: Any) -> dict[str, Any]:
    """Execute one GraphQL request body and return the JSON response object."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return {"errors": [{"message": "No query document supplied"}]}
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        return {"errors": [{"message": "Variables must be an object"}]}

    try:
        document = parse(body["query"])
    except GraphQLError as error:
        return {"errors": [error.formatted]}
    document = visit(document, _CamelCaser())

    schema = load_schema()
    errors = validate(schema, document, _RULES)
    if errors:
        return {"errors": [error.formatted for error in errors]}

    result = execute(
        schema,
        document,
        root_value=root_value,
        context_value=context,
        variable_values=variables,
        operation_name=body.get("operationName"),
    )
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    return response
