"""A loopback stand-in for LinkedIn, X, Facebook Pages, Mastodon and Bluesky.

Each network is served under its own prefix (``/linkedin``, ``/x``,
``/facebook``, ``/mastodon``, ``/bluesky``) at its real paths, shapes and
headers, so a provider adapter only changes its base URL to talk to the
sandbox instead of the real network.

Start it with ``python -m social.sandbox --host 127.0.0.1 --port 8765``; in
tests use ``social.sandbox.testing.run_sandbox()``. Steer it through
``/_control/`` with the ``X-Sandbox-Control`` header (``--control-token`` or
``SANDBOX_CONTROL_TOKEN``, default ``sandbox-control``):

- ``POST /_control/clock`` ``{"advance_seconds": N}`` or ``{"set": "2030-01-01T00:00:00Z"}``; ``GET`` reads it
- ``POST /_control/faults`` ``{"network", "status": 401|429|500|503|426 | "kind": "timeout"|"malformed",
  "path": substring, "count": 1, "delay": 10}``; ``DELETE`` clears
- ``POST /_control/limits`` ``{"network", "limit", "window_seconds"}``
- ``POST /_control/tokens`` ``{"network", "access": seconds|null, "refresh": ...}`` token lifetimes
- ``POST /_control/revoke`` ``{"token"}`` or ``{"handle", "network"?}``
- ``POST /_control/reset``; ``GET /_control/posts?network=x``; ``GET /_control/health`` (no header)

Everything time-dependent (token expiry, engagement, rate windows) reads the
sandbox clock, so advancing it ages the whole simulated world at once.
"""
