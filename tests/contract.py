"""The REST contract in ``schema/``, loaded for tests: find an operation, validate a body.

Each ``schema/<feature>.yaml`` is an OpenAPI 3.1 document; ``schema/common.yaml`` holds
shared components. Cross-file ``$ref``s resolve through a ``referencing`` registry, and
bodies validate with JSON Schema 2020-12 (OpenAPI 3.1's dialect) including formats.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    document: str
    path: str
    method: str
    spec: dict[str, Any]

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", self.path) + "$")


class Contract:
    def __init__(self, schema_dir: Path = SCHEMA_DIR) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        resources = []
        for file in sorted(schema_dir.glob("*.yaml")):
            doc = yaml.safe_load(file.read_text(encoding="utf-8"))
            self.documents[file.name] = doc
            resources.append((file.name, Resource(contents=doc, specification=DRAFT202012)))
        self.registry = Registry().with_resources(resources)
        self.operations = [
            Operation(name, path, method, op)
            for name, doc in self.documents.items()
            for path, item in (doc.get("paths") or {}).items()
            for method, op in item.items()
            if method in METHODS
        ]

    def find(self, method: str, path: str) -> Operation | None:
        for op in self.operations:
            if op.method == method.lower() and op.pattern.match(path):
                return op
        return None

    def _resolve(self, document: str, node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Follow a response object's ``$ref`` (across files); returns (document, node)."""
        while "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            document = target.lstrip("./") or document
            node = self.documents[document]
            for part in pointer.strip("/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return document, node

    def validator_for(self, op: Operation, status: int) -> Draft202012Validator:
        responses = op.spec.get("responses", {})
        if str(status) not in responses:
            raise AssertionError(
                f"{op.method.upper()} {op.path} answered {status}, which schema/{op.document} "
                f"does not document (documented: {sorted(responses)})"
            )
        document, response = self._resolve(op.document, responses[str(status)])
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
                out[key] = f"{target.lstrip('./') or document}#{pointer}"
            else:
                out[key] = _rebase(value, document)
        return out
    if isinstance(schema, list):
        return [_rebase(item, document) for item in schema]
    return schema
