"""The control API tests and demos use to steer the sandbox: move the clock,
inject faults, change rate limits and token lifetimes, revoke tokens, reset,
and look at what was published. Guarded by a shared header token."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from .clock import iso
from .http import BadRequest, Request, Response, Router, json_response
from .state import NETWORKS, Fault, SandboxState

router = Router()
HEADER = "X-Sandbox-Control"


def handle(state: SandboxState, token: str, req: Request) -> Response:
    if req.path == "/health":
        return json_response({"ok": True})
    if not secrets.compare_digest(req.header(HEADER) or "", token):
        return json_response({"error": f"missing or wrong {HEADER} header"}, 403)
    found = router.match(req)
    if not found:
        return json_response({"error": f"no control route {req.method} {req.path}"}, 404)
    handler, kwargs = found  # type: ignore[misc]
    try:
        return handler(state, req, **kwargs)
    except (BadRequest, KeyError, ValueError, TypeError) as exc:
        return json_response({"error": f"bad control request: {exc!r}"}, 400)


def _network(body: dict[str, Any]) -> str:
    network = body.get("network")
    if network not in NETWORKS:
        raise ValueError(f"network must be one of {NETWORKS}")
    return str(network)


def _clock(state: SandboxState) -> dict[str, Any]:
    now = state.clock.now()
    return {"now": iso(now), "epoch": now}


@router.route("GET", "/clock")
def get_clock(state: SandboxState, req: Request) -> Response:
    return json_response(_clock(state))


@router.route("POST", "/clock")
def move_clock(state: SandboxState, req: Request) -> Response:
    body = req.json() or {}
    if "advance_seconds" in body:
        state.clock.advance(float(body["advance_seconds"]))
    elif "set" in body:
        state.clock.set(datetime.fromisoformat(str(body["set"]).replace("Z", "+00:00")))
    else:
        raise ValueError("give advance_seconds or set")
    return json_response(_clock(state))


@router.route("GET", "/faults")
def list_faults(state: SandboxState, req: Request) -> Response:
    return json_response({"faults": [vars(f) for f in state.faults]})


@router.route("POST", "/faults")
def add_fault(state: SandboxState, req: Request) -> Response:
    """{"network": "x", "status": 503 | "kind": "timeout"|"drop"|"malformed", "path": "/2/tweets",
    "method": "POST", "count": 1, "delay": 10}

    timeout and drop act after the request was handled: the network holds
    the post, the client never gets the answer (late, or the connection closes)."""
    body = req.json() or {}
    kind = body.get("kind") or "status"
    if kind not in ("status", "timeout", "drop", "malformed"):
        raise ValueError("kind is status, timeout, drop or malformed")
    fault = Fault(
        network=_network(body),
        kind=kind,
        status=int(body.get("status", 500)),
        path=body.get("path"),
        count=int(body.get("count", 1)),
        delay=float(body.get("delay", 10)),
        method=body.get("method"),
    )
    state.add_fault(fault)
    return json_response(vars(fault), 201)


@router.route("DELETE", "/faults")
def clear_faults(state: SandboxState, req: Request) -> Response:
    with state.lock:
        state.faults.clear()
    return json_response({"faults": []})


@router.route("GET", "/limits")
def get_limits(state: SandboxState, req: Request) -> Response:
    return json_response(
        {n: {"limit": lim, "window_seconds": w} for n, (lim, w) in state.limits.items()}
    )


@router.route("POST", "/limits")
def set_limits(state: SandboxState, req: Request) -> Response:
    body = req.json() or {}
    network = _network(body)
    limit, window = state.limits[network]
    with state.lock:
        state.limits[network] = (
            int(body.get("limit", limit)),
            int(body.get("window_seconds", window)),
        )
        state.windows.clear()  # a new policy starts with fresh windows
    return get_limits(state, req)


@router.route("POST", "/tokens")
def set_lifetimes(state: SandboxState, req: Request) -> Response:
    """{"network": "x", "access": 60, "refresh": null}: seconds, null = never."""
    body = req.json() or {}
    network = _network(body)
    with state.lock:
        for kind, seconds in body.items():
            if kind != "network":
                state.lifetimes[network][kind] = None if seconds is None else int(seconds)
    return json_response(state.lifetimes[network])


@router.route("POST", "/revoke")
def revoke(state: SandboxState, req: Request) -> Response:
    """{"token": "..."} or {"handle": "alice", "network": "x" (optional)}"""
    body = req.json() or {}
    if not body.get("token") and not body.get("handle"):
        raise ValueError("give token or handle")
    n = state.revoke(
        token=body.get("token"), network=body.get("network"), handle=body.get("handle")
    )
    return json_response({"revoked": n})


@router.route("GET", "/policy")
def get_policy(state: SandboxState, req: Request) -> Response:
    return json_response(state.policy.as_json())


@router.route("POST", "/policy")
def set_policy(state: SandboxState, req: Request) -> Response:
    """The conformance knobs (see rules.Policy): {"x_clients_without_reads": ["chorus-x"],
    "x_user_daily_posts": 2, "linkedin_partners": [...], "mastodon_max_characters": 1000}"""
    body = req.json() or {}
    with state.lock:
        try:
            state.policy.update(body)
        except AttributeError as exc:
            raise ValueError(f"unknown policy field: {exc}") from None
    return get_policy(state, req)


@router.route("POST", "/reset")
def reset(state: SandboxState, req: Request) -> Response:
    state.reset()
    return json_response({"reset": True, **_clock(state)})


@router.route("GET", "/posts")
def posts(state: SandboxState, req: Request) -> Response:
    wanted = req.arg("network")
    with state.lock:
        out = [p.public() for n in NETWORKS if wanted in (None, n) for p in state.posts[n].values()]
    out.sort(key=lambda p: p["created_at"])
    return json_response({"posts": out})
