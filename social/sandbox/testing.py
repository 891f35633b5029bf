"""Run the sandbox inside a test process and steer it through its control API.

with run_sandbox() as sandbox:
    sandbox.control.advance(3600)
    requests.get(f"{sandbox.base_url}/x/2/users/me", ...)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from .app import DEFAULT_CONTROL_TOKEN, SandboxApp
from .http import serve


class SandboxControl:
    """A tiny client for /_control/."""

    def __init__(
        self, base_url: str, token: str = DEFAULT_CONTROL_TOKEN, timeout: float = 10
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["X-Sandbox-Control"] = token
        self.timeout = timeout

    def _call(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        resp = self.session.request(
            method,
            f"{self.base_url}/_control/{path}",
            json=json,
            params=params or None,
            timeout=self.timeout,
        )
        resp.raise_for_status()
        return resp.json()

    def reset(self) -> None:
        self._call("POST", "reset")

    def policy(self, **changes: Any) -> dict[str, Any]:
        """Change the conformance knobs (rules.Policy) for this run; reset restores them."""
        return self._call("POST", "policy", changes) if changes else self._call("GET", "policy")

    def clock(self) -> float:
        return float(self._call("GET", "clock")["epoch"])

    def advance(self, seconds: float) -> float:
        return float(self._call("POST", "clock", {"advance_seconds": seconds})["epoch"])

    def set_clock(self, iso: str) -> float:
        return float(self._call("POST", "clock", {"set": iso})["epoch"])

    def fault(
        self,
        network: str,
        *,
        status: int | None = None,
        kind: str = "status",
        path: str | None = None,
        count: int = 1,
        delay: float = 10,
        method: str | None = None,
    ) -> None:
        body: dict[str, Any] = {
            "network": network,
            "kind": kind,
            "path": path,
            "count": count,
            "delay": delay,
            "method": method,
        }
        if status is not None:
            body["status"] = status
        self._call("POST", "faults", body)

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def limits(
        self, network: str, *, limit: int | None = None, window_seconds: int | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"network": network}
        if limit is not None:
            body["limit"] = limit
        if window_seconds is not None:
            body["window_seconds"] = window_seconds
        return dict(self._call("POST", "limits", body)[network])

    def token_lifetimes(self, network: str, **seconds: int | None) -> dict[str, Any]:
        return dict(self._call("POST", "tokens", {"network": network, **seconds}))

    def revoke(
        self, *, token: str | None = None, handle: str | None = None, network: str | None = None
    ) -> int:
        return int(
            self._call("POST", "revoke", {"token": token, "handle": handle, "network": network})[
                "revoked"
            ]
        )

    def posts(self, network: str | None = None) -> list[dict[str, Any]]:
        params = {"network": network} if network else {}
        return list(self._call("GET", "posts", **params)["posts"])


@dataclass
class SandboxHandle:
    base_url: str
    control: SandboxControl
    app: SandboxApp

    def url(self, network: str) -> str:
        return f"{self.base_url}/{network}"


@contextmanager
def run_sandbox(
    port: int = 0, control_token: str = DEFAULT_CONTROL_TOKEN
) -> Iterator[SandboxHandle]:
    """Serve the sandbox on 127.0.0.1 (a free port by default) in a thread."""
    app = SandboxApp(control_token=control_token)
    server = serve(app, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, name="social-sandbox", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield SandboxHandle(base_url, SandboxControl(base_url, control_token), app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
