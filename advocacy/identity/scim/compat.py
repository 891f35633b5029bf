"""What real identity providers send that the strict SCIM models would refuse.

Microsoft Entra ID sets the enterprise manager with PATCH and a bare id as the
value: `{"op": "Add", "path": "urn:...:enterprise:2.0:User:manager",
"value": "<id>"}` (learn.microsoft.com, "Tutorial: Develop and plan
provisioning for a SCIM endpoint in Microsoft Entra ID", Update User
[Single-valued properties]), and never a `$ref`. scim2-models requires the
complex form with a `$ref`. This rewrites such bodies into the form RFC 7643
§4.3 describes before the protocol layer reads them.

Entra also removes group members with `{"op": "Remove", "path": "members",
"value": [{"$ref": null, "value": "<id>"}]}` (same tutorial, Update Group
[Remove Members]); RFC 7644 §3.5.2.2 selects what to remove with a filter in the
path and no value, so each such member becomes `members[value eq "<id>"]`.
Nothing else is changed.
Capitalised ops ("Replace") and "False" as a string are accepted by the
library as they are.
"""

from __future__ import annotations

import json
from typing import Any

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"


def _manager(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str | int) and str(value).strip():
        return {"value": str(value).strip(), "$ref": f"Users/{str(value).strip()}"}
    if isinstance(value, dict) and value.get("value") and not value.get("$ref"):
        return {**value, "$ref": f"Users/{value['value']}"}
    return value


def _fix_extension(body: dict) -> None:
    for key, extension in body.items():
        if key.lower() == ENTERPRISE and isinstance(extension, dict):
            for name in list(extension):
                if name.lower() == "manager":
                    extension[name] = _manager(extension[name])


def _member_removals(operations: list) -> list:
    rewritten = []
    for operation in operations:
        values = operation.get("value") if isinstance(operation, dict) else None
        is_member_removal = (
            isinstance(operation, dict)
            and str(operation.get("op", "")).lower() == "remove"
            and str(operation.get("path", "")).lower() == "members"
            and isinstance(values, list)
            and values
            and all(isinstance(v, dict) and v.get("value") for v in values)
        )
        if not is_member_removal:
            rewritten.append(operation)
            continue
        for member in values:
            value = str(member["value"]).replace("\\", "\\\\").replace('"', '\\"')
            rewritten.append({"op": "remove", "path": f'members[value eq "{value}"]'})
    return rewritten


def normalize_body(method: str, path: str, body: bytes) -> bytes:
    lowered = path.lower()
    if method.upper() == "PATCH" and lowered.startswith("/groups/"):
        try:
            data = json.loads(body)
        except ValueError:
            return body
        if isinstance(data, dict) and isinstance(data.get("Operations"), list):
            data["Operations"] = _member_removals(data["Operations"])
            return json.dumps(data).encode()
        return body
    if method.upper() not in ("POST", "PUT", "PATCH") or not lowered.startswith("/users"):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body  # the protocol layer answers invalidSyntax
    if not isinstance(data, dict):
        return body
    _fix_extension(data)
    for operation in data.get("Operations") or []:
        if not isinstance(operation, dict):
            continue
        target = str(operation.get("path") or "").lower()
        if target in (f"{ENTERPRISE}:manager", f"{ENTERPRISE}:manager.value"):
            if target.endswith(".value"):
                operation["path"] = operation["path"][: -len(".value")]
            operation["value"] = _manager(operation.get("value"))
        elif not target and isinstance(operation.get("value"), dict):
            _fix_extension(operation["value"])
    return json.dumps(data).encode()
