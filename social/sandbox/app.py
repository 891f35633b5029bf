"""The sandbox application: routes each request to its network by prefix."""

from __future__ import annotations

import os

from . import control
from .base import Network
from .bluesky import OTHER_PDS_PREFIX, BlueskyNetwork
from .facebook import FacebookNetwork
from .http import Request, Response, json_response
from .linkedin import LinkedInNetwork
from .mastodon import MastodonNetwork
from .state import SandboxState
from .x import XNetwork

DEFAULT_CONTROL_TOKEN = "sandbox-control"


class SandboxApp:
    def __init__(self, state: SandboxState | None = None, control_token: str | None = None) -> None:
        self.state = state or SandboxState()
        self.control_token = (
            control_token or os.environ.get("SANDBOX_CONTROL_TOKEN") or DEFAULT_CONTROL_TOKEN
        )
        self.networks: dict[str, Network] = {
            cls.key: cls(self.state)
            for cls in (LinkedInNetwork, XNetwork, FacebookNetwork, MastodonNetwork, BlueskyNetwork)
        }
        # A second Bluesky server (PDS) for accounts hosted outside bsky.social.
        other_pds = BlueskyNetwork(self.state)
        other_pds.prefix = OTHER_PDS_PREFIX
        self.networks[OTHER_PDS_PREFIX] = other_pds

    def __call__(self, req: Request) -> Response:
        prefix, _, rest = req.path.lstrip("/").partition("/")
        req.path = "/" + rest
        if prefix == "_control":
            return control.handle(self.state, self.control_token, req)
        net = self.networks.get(prefix)
        if net is None:
            return json_response(
                {
                    "error": "unknown network",
                    "networks": sorted(self.networks),
                    "control": "/_control/",
                },
                404,
            )
        req.network = net
        return net.handle(req)
