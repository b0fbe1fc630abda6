"""The REST contract of ``schema/*.yaml``, loaded once, as the server uses it.

The base handler finds the operation of each request here and validates its body
against the operation's ``requestBody`` schema, so no handler checks by hand what the
contract already says (types, required and unknown fields, ranges, enums), and each
refusal names the field in words a user can act on.

The schemas are found next to the package (``cloudscapes/schema``, where the wheel
puts them) or, in a checkout, at the repository root (``schema/``). Each file is an
OpenAPI 3.1 document; ``$ref``s point within a file or into another one
(``./common.yaml#/components/...``). Request schemas are inlined once at load time
(they are not recursive), which keeps every subschema at hand for the messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

METHODS = ("get", "put", "post", "patch", "delete")

#: Deepest nesting a request body may have: the contract's deepest body is 3 levels,
#: and validating or echoing a deeper one must never approach the recursion limit.
MAX_BODY_DEPTH = 32

#: C0 and C1 control characters and DEL: never shown or logged as they are, and refused
#: in query and path values (cloudscapes.handlers).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: A body schema for operations that document none: no field is accepted.
NO_BODY: dict[str, Any] = {"type": "object", "additionalProperties": False}


def schema_dir(package_dir: Path | None = None) -> Path:
    """Where ``common.yaml`` and the feature schemas are: inside the installed package
    (the wheel force-includes ``schema/`` as ``cloudscapes/schema``) or at the root of
    a checkout, one level above the package."""
    here = package_dir or Path(__file__).resolve().parent
    for candidate in (here / "schema", here.parent / "schema"):
        if (candidate / "common.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"No REST schemas next to {here} (looked for schema/common.yaml).")


def _strict_integer(checker: Any, instance: Any) -> bool:
    """JSON Schema calls 2.0 an integer; handlers get a Python ``int`` or a 400."""
    return isinstance(instance, int) and not isinstance(instance, bool)


#: JSON Schema 2020-12 (OpenAPI 3.1's dialect) with integers that are ``int``s.
BodyValidator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


class InvalidBody(ValueError):
    """A request body the contract refuses: ``message`` names the field, ``hint`` says
    what to send. Neither repeats a value from the body (it may be a password)."""

    def __init__(self, message: str, hint: str, code: str = "invalid_field") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


@dataclass(frozen=True)
class Operation:
    """One method of one path of one schema file."""

    document: str
    path: str
    method: str
    spec: dict[str, Any] = field(repr=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", self.path) + "$")

    @property
    def literal_segments(self) -> int:
        """How many segments are not templates (more is a closer match)."""
        return sum(1 for part in self.path.split("/") if not part.startswith("{"))


@dataclass
class Body:
    """What an operation accepts as its body, compiled once."""

    required: bool
    schema: dict[str, Any]
    validator: Any


class Contract:
    """Every schema file, its operations, and a compiled validator per request body."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or schema_dir()
        self.documents: dict[str, dict[str, Any]] = {
            file.name: yaml.safe_load(file.read_text(encoding="utf-8"))
            for file in sorted(self.directory.glob("*.yaml"))
        }
        self.operations = [
            Operation(name, path, method, op)
            for name, doc in self.documents.items()
            for path, item in (doc.get("paths") or {}).items()
            for method, op in item.items()
            if method in METHODS
        ]
        # literal paths before templated ones, so `/x/new` would win over `/x/{id}`
        self._by_specificity = sorted(self.operations, key=lambda op: -op.literal_segments)
        self._patterns = [(op, op.pattern) for op in self._by_specificity]
        self._bodies = {(op.method, op.path): self._compile_body(op) for op in self.operations}

    # ---- lookup ----------------------------------------------------------------------

    def find(self, method: str, path: str) -> Operation | None:
        """The operation answering ``method`` on ``path`` (``/cloudscapes/...``)."""
        method = method.lower()
        for op, pattern in self._patterns:
            if op.method == method and pattern.match(path):
                return op
        return None

    def resolve(self, document: str, node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Follow ``node``'s ``$ref`` (across files); returns (document, target)."""
        while isinstance(node, dict) and "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            document = target.removeprefix("./") or document
            node = self.documents[document]
            for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return document, node

    def inline(self, document: str, node: Any, depth: int = 0) -> Any:
        """``node`` with every ``$ref`` replaced by what it points to."""
        if depth > 50:
            raise ValueError(f"schema/{document}: $refs nest too deeply (a cycle?)")
        if isinstance(node, list):
            return [self.inline(document, item, depth + 1) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target_document, target = self.resolve(document, {"$ref": node["$ref"]})
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**self.inline(target_document, target, depth + 1), **siblings}
        return {key: self.inline(document, value, depth + 1) for key, value in node.items()}

    # ---- bodies ----------------------------------------------------------------------

    def _compile_body(self, op: Operation) -> Body:
        spec = op.spec.get("requestBody")
        if spec is None:
            return Body(required=False, schema=NO_BODY, validator=BodyValidator(NO_BODY))
        document, spec = self.resolve(op.document, spec)
        schema = self.inline(document, spec["content"]["application/json"]["schema"])
        BodyValidator.check_schema(schema)
        return Body(bool(spec.get("required")), schema, BodyValidator(schema))

    def body(self, op: Operation) -> Body:
        return self._bodies[(op.method, op.path)]

    def check_body(self, op: Operation, instance: Any) -> None:
        """Raise :class:`InvalidBody` unless ``instance`` is a body ``op`` accepts."""
        body = self.body(op)
        if depth(instance) > MAX_BODY_DEPTH:
            raise InvalidBody(
                f"The request body nests deeper than {MAX_BODY_DEPTH} levels.",
                "Send the fields the route documents; none is nested that deep.",
                code="invalid_json",
            )
        errors = list(body.validator.iter_errors(instance))
        if errors:
            documented = op.spec.get("requestBody") is not None
            raise explain(_most_relevant(errors), body.schema, documented)


@cache
def contract() -> Contract:
    """The contract of the installed package, loaded on first use."""
    return Contract()


def depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Iterable[Any] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


# ---- messages ----------------------------------------------------------------------

#: When several errors are found, the one reported first (missing and unknown fields
#: say most about what the caller meant).
_ORDER = ("additionalProperties", "required", "type", "oneOf", "anyOf")


def _most_relevant(errors: list[ValidationError]) -> ValidationError:
    def key(error: ValidationError) -> tuple[int, int]:
        rank = _ORDER.index(error.validator) if error.validator in _ORDER else len(_ORDER)
        return len(error.absolute_path), rank

    return min(errors, key=key)


def field_name(path: Iterable[Any]) -> str:
    """``['objects', 0, 'key']`` -> ``objects[0].key``."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{printable(part)}" if name else printable(part)
    return name


def printable(value: object, limit: int = 60) -> str:
    """A value a client sent (a field's name or value, a path, an id) as a message may
    show it and a log line may hold it: control characters and lone surrogates escaped,
    at most ``limit`` characters (a 64 kB value is not echoed whole), so it can forge no
    log line and always encodes."""
    text = _ESCAPED.sub(lambda m: ascii(m.group())[1:-1], str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: What :func:`printable` escapes: control characters and lone UTF-16 surrogates.
_ESCAPED = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: Unknown fields a message names at most (then "and N more").
MAX_NAMED = 5


def _quoted(names: Iterable[str]) -> list[str]:
    return [f"'{printable(name)}'" for name in names]


def unencodable(value: Any) -> list[Any] | None:
    """The path of the first string (key or value) in ``value`` that is not valid text
    (a lone UTF-16 surrogate, which JSON's ``\\ud800`` can carry and which no UTF-8
    encoder takes), or ``None``. Walked without recursion, as :func:`depth` does."""
    stack: list[tuple[Any, list[Any]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return path
        elif isinstance(node, dict):
            for key, child in node.items():
                if _SURROGATE.search(key):
                    return [*path, key]
                stack.append((child, [*path, key]))
        elif isinstance(node, list):
            stack.extend((child, [*path, index]) for index, child in enumerate(node))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _join(words: list[str], last: str = "and") -> str:
    if len(words) <= 2:
        return f" {last} ".join(words)
    return ", ".join(words[:-1]) + f", {last} " + words[-1]


_TYPES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def describe(schema: dict[str, Any]) -> str:
    """What a value of ``schema`` is, in words: 'a whole number', 'one of: a, b'."""
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kinds = schema.get("type")
    if kinds is None:
        return "a value"
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = [_TYPES.get(str(kind), str(kind)) for kind in kinds]
    if kinds == ["string"] and schema.get("minLength") == 1:
        words = ["a non-empty string"]
    if kinds == ["object"] and schema.get("required"):
        words = [f"an object with {_join(_quoted(schema['required']))}"]
    return _join(words, "or")


def _examples_hint(schema: dict[str, Any]) -> str:
    examples = schema.get("examples") or []
    if not examples:
        return ""
    return "For example " + " or ".join(json.dumps(e, ensure_ascii=False) for e in examples) + "."


def _alternatives(branches: list[dict[str, Any]]) -> list[list[str]] | None:
    """The required fields of each ``oneOf`` branch, when each branch has some."""
    required = [b.get("required") if isinstance(b, dict) else None for b in branches]
    if not all(isinstance(r, list) and r for r in required):
        return None
    return [list(r) for r in required if r]


def explain(error: ValidationError, root: dict[str, Any], documented: bool = True) -> InvalidBody:
    """One validation error as a message that names the field, and a hint."""
    path = list(error.absolute_path)
    name = f"'{field_name(path)}'"
    schema = error.schema if isinstance(error.schema, dict) else {}
    # (the stubs type these as "or unset"; a raised error always has them)
    value: Any = error.validator_value
    instance: Any = error.instance
    keyword = str(error.validator)
    hint = _examples_hint(root) or schema.get("description", "")

    if keyword == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        unknown = sorted(set(instance) - set(allowed))
        where = f" in {name}" if path else ""
        noun = "field" if len(unknown) == 1 else "fields"
        named = _quoted(unknown[:MAX_NAMED])
        if len(unknown) > MAX_NAMED:
            named.append(f"{len(unknown) - MAX_NAMED} more")
        message = f"Unknown {noun} {_join(named)}{where}."
        if not documented:
            return InvalidBody(message, "This route takes no request body.")
        if allowed:
            return InvalidBody(message, f"Fields allowed here: {', '.join(allowed)}.")
        return InvalidBody(message, hint or "Send no fields here.")
    if keyword == "required":
        missing = next(n for n in value if n not in instance)
        inner = schema.get("properties", {}).get(missing, {})
        label = f"'{field_name([*path, missing])}'"
        return InvalidBody(f"{label} is required ({describe(inner)}).", hint or f"Add {label}.")
    if keyword in ("oneOf", "anyOf"):
        return _explain_branches(error, root, name, hint)
    if keyword == "pattern":
        return InvalidBody(
            f"{name} is not in the expected form.", schema.get("description") or hint
        )
    return InvalidBody(f"{name} {_constraint(keyword, value, schema)}.", hint)


def _constraint(keyword: str, value: Any, schema: dict[str, Any]) -> str:
    """What a value breaking ``keyword`` should have been, after the field's name."""
    if keyword in ("type", "enum"):
        return f"must be {describe(schema)}"
    if keyword == "const":
        return f"must be {json.dumps(value, ensure_ascii=False)}"
    if keyword == "minimum":
        return "cannot be negative" if value == 0 else f"must be at least {value}"
    if keyword == "minLength":
        return "must be a non-empty string" if value == 1 else f"must be {value} characters or more"
    if keyword == "minItems":
        return "must list at least " + ("one item" if value == 1 else f"{value} items")
    bounds = {
        "maximum": "must be at most {}",
        "exclusiveMinimum": "must be more than {}",
        "exclusiveMaximum": "must be less than {}",
        "maxLength": "must be {} characters or fewer",
        "maxItems": "must list at most {} items",
    }
    return bounds[keyword].format(value) if keyword in bounds else f"is not valid ({keyword})"


def _explain_branches(
    error: ValidationError, root: dict[str, Any], name: str, hint: str
) -> InvalidBody:
    """``oneOf`` of objects told apart by their required fields (a username and
    password, a token, or a source): explain the one branch the body chose, or say
    which alternatives there are."""
    branches: Any = error.validator_value
    instance: Any = error.instance
    alternatives = _alternatives(branches)
    if alternatives is None or not isinstance(instance, dict):
        return InvalidBody(f"{name} matches none of the accepted forms.", hint)
    chosen = [i for i, req in enumerate(alternatives) if set(req) <= set(instance)]
    if len(chosen) == 1:
        inner = [e for e in error.context or [] if e.relative_schema_path[0] == chosen[0]]
        if inner:
            return explain(_most_relevant(inner), root)
    forms = _join([_join(_quoted(req)) for req in alternatives], "or")
    where = f" in {name}" if error.absolute_path else ""
    if chosen:  # more than one
        return InvalidBody(f"Send either {forms}{where}, not more than one.", hint)
    return InvalidBody(f"Send either {forms}{where}.", hint)
