"""The REST contract in ``schema/``, for tests: the server's own loader
(:mod:`cloudscapes.contract`, which finds operations and checks request bodies) plus
validation of response bodies.

Cross-file ``$ref``s of responses resolve through a ``referencing`` registry, and
bodies validate with JSON Schema 2020-12 (OpenAPI 3.1's dialect) including formats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from cloudscapes.contract import Contract as ServerContract
from cloudscapes.contract import Operation

#: The checkout's schemas (what the tests check the server against).
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


class Contract(ServerContract):
    def __init__(self, schema_dir: Path = SCHEMA_DIR) -> None:
        super().__init__(schema_dir)
        self.registry = Registry().with_resources(
            (name, Resource(contents=doc, specification=DRAFT202012))
            for name, doc in self.documents.items()
        )

    def validator_for(self, op: Operation, status: int) -> Draft202012Validator:
        responses = op.spec.get("responses", {})
        if str(status) not in responses:
            raise AssertionError(
                f"{op.method.upper()} {op.path} answered {status}, which schema/{op.document} "
                f"does not document (documented: {sorted(responses)})"
            )
        document, response = self.resolve(op.document, responses[str(status)])
        schema = response["content"]["application/json"]["schema"]
        return Draft202012Validator(
            _rebase(schema, document), registry=self.registry, format_checker=FormatChecker()
        )

    def validate(self, method: str, path: str, status: int, body: bytes) -> Operation:
        op = self.find(method, path)
        if op is None:
            raise AssertionError(f"{method} {path} is not in schema/")
        validator = self.validator_for(op, status)
        instance = json.loads(body)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            details = "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
            raise AssertionError(
                f"{method} {path} -> {status} does not match schema/{op.document}: {details}"
            )
        return op


def _rebase(schema: Any, document: str) -> Any:
    """Make same-document refs (``#/components/...``) point into ``document``."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                target, _, pointer = value.partition("#")
                out[key] = f"{target.removeprefix('./') or document}#{pointer}"
            else:
                out[key] = _rebase(value, document)
        return out
    if isinstance(schema, list):
        return [_rebase(item, document) for item in schema]
    return schema
