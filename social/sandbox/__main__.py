"""python -m social.sandbox --host 127.0.0.1 --port 8765"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from .app import DEFAULT_CONTROL_TOKEN, SandboxApp
from .http import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m social.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--control-token",
        default=os.environ.get("SANDBOX_CONTROL_TOKEN", DEFAULT_CONTROL_TOKEN),
        help="value expected in the X-Sandbox-Control header (env SANDBOX_CONTROL_TOKEN)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    # The sandbox hands out tokens to anyone who asks: keep it off real networks.
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error("the sandbox only listens on loopback addresses")
    server = serve(
        SandboxApp(control_token=args.control_token), args.host, args.port, quiet=not args.verbose
    )
    host, port = args.host, server.server_address[1]
    print(
        f"sandbox networks on http://{host}:{port}/{{linkedin,x,facebook,mastodon,bluesky}}",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
