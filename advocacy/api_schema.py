"""The API schema says how errors answer, on every operation.

Every error of the API is a problem-details document (RFC 9457, `advocacy.errors`):
`type`, `title`, `status` and `detail`, and for bad input `errors` with one list of
messages per field. Any
operation can answer a few of them whatever its own responses are (bad input, not
signed in, not allowed, not found or not yours, a conflict, a body type it does not
take, too many requests, a dependency down), so a drf-spectacular postprocessing hook
documents them once instead of every view repeating them.
"""

from __future__ import annotations

from typing import Any

PROBLEM = "Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "RFC 9457 problem details. Bad input (400) also carries the extension member "
        "`errors`: `{field: [messages]}`, `non_field_errors` for errors of the whole body; "
        "a nested field (a list of captions) nests the same way."
    ),
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    # No member is required: errors a view answers itself (not through the exception
    # handler) may lack them.
    "additionalProperties": True,
}
ERRORS = {
    "400": "The input is not valid; the body says which field and why.",
    "401": "No valid credentials.",
    "403": "Your role may not do this.",
    "404": "Not found (or not yours: the same answer).",
    "405": "This method is not allowed here.",
    "409": "Conflicts with the current state.",
    "413": "The body is too large.",
    "415": "This body type is not accepted (send JSON).",
    "429": "Too many requests; see Retry-After.",
    "503": "A service Chorus depends on is down; see Retry-After.",
}
METHODS = ("get", "put", "post", "patch", "delete")


def document_errors(result: dict, generator, request, public) -> dict:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(PROBLEM, PROBLEM_SCHEMA)
    reference = {"$ref": f"#/components/schemas/{PROBLEM}"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/problem+json": {"schema": reference},
                            # a few views answer their own 400 as plain JSON
                            "application/json": {"schema": reference},
                        },
                    },
                )
    return result
