"""The OAuth 2 authorization-code dance shared by the OAuth networks:
a consent page a person (or a test posting its form) answers, and code
issuance bound to client, redirect_uri and PKCE challenge."""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from .base import Abort, Network
from .http import Request, Response, html_response, redirect

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{label} sandbox · Authorize</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:1rem}}
main{{max-width:26rem;margin:2rem auto;background:#fff;border-radius:12px;padding:1.5rem;
box-shadow:0 1px 4px rgba(0,0,0,.12)}}
h1{{font-size:1.25rem;margin-top:0}} label{{display:block;font-weight:600;margin:.75rem 0 .25rem}}
input[type=text]{{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #bbb;
border-radius:6px}} ul{{padding-left:1.2rem}} .row{{display:flex;gap:.5rem;margin-top:1.25rem}}
button{{flex:1;padding:.75rem;font-size:1rem;border-radius:6px;border:0;cursor:pointer}}
.allow{{background:#2563eb;color:#fff}} .deny{{background:#e5e7eb}} small{{color:#666}}
</style></head><body><main>
<h1>{label} (sandbox)</h1>
<p><strong>{client}</strong> wants to access your {label} account.</p>
<p>It asks for:</p><ul>{scopes}</ul>
<form method="post" action="{action}">
{hidden}
<label for="handle">Sign in as</label>
<input type="text" id="handle" name="handle" value="{handle}" autocomplete="username" required>
<div class="row">
<button class="deny" type="submit" name="decision" value="deny">Deny</button>
<button class="allow" type="submit" name="decision" value="allow">Allow</button>
</div></form>
<p><small>This is a local test network. Nothing leaves this machine.</small></p>
</main></body></html>"""

DEFAULT_HANDLE = "sandbox.advocate"


def with_params(uri: str, params: dict[str, str]) -> str:
    sep = "&" if urlsplit(uri).query else "?"
    return f"{uri}{sep}{urlencode(params)}"


def authorize(
    net: Network,
    req: Request,
    *,
    action: str,
    require_pkce: bool = False,
    scope_sep: str = " ",
    check_client: Callable[[str, str], str | None] | None = None,
    deny_params: dict[str, str] | None = None,
    allowed_scopes: Callable[[str], tuple[str, ...]] | None = None,
) -> Response:
    """GET renders the consent page; POST (the form) issues a code or the denial."""
    params = req.form() if req.method == "POST" else {k: v[0] for k, v in req.query.items()}
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    if not client_id or not redirect_uri:
        raise Abort(net.error(400, "client_id and redirect_uri are required", "invalid_request"))
    if params.get("response_type", "code") != "code":
        raise Abort(
            net.error(400, "only response_type=code is supported", "unsupported_response_type")
        )
    if check_client is not None:
        problem = check_client(client_id, redirect_uri)
        if problem:
            raise Abort(net.error(400, problem, "invalid_client"))
    if allowed_scopes is not None:
        # The app's products decide what it may ask for; anything else is
        # refused before consent, back at the redirect URI.
        allowed = allowed_scopes(client_id)
        asked = params.get("scope", "").replace(",", " ").split()
        refused = [s for s in asked if s not in allowed]
        if refused:
            back = {
                "error": "unauthorized_scope_error",
                "error_description": f'Scope "{refused[0]}" is not authorized for your application',
            }
            if params.get("state"):
                back["state"] = params["state"]
            return redirect(with_params(redirect_uri, back))
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method", "plain" if challenge else None)
    if require_pkce and not challenge:
        raise Abort(net.error(400, "code_challenge is required", "invalid_request"))
    if method and method not in ("S256", "plain"):
        raise Abort(net.error(400, "unsupported code_challenge_method", "invalid_request"))
    state = params.get("state", "")

    if req.method != "POST":
        hidden = "\n".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k not in ("handle", "decision")
        )
        scopes = "".join(
            f"<li>{html.escape(s)}</li>" for s in params.get("scope", "").replace(",", " ").split()
        )
        return html_response(
            _PAGE.format(
                label=html.escape(net.label),
                client=html.escape(client_id),
                scopes=scopes or "<li>basic profile</li>",
                action=html.escape(action),
                hidden=hidden,
                handle=html.escape(params.get("login_hint") or DEFAULT_HANDLE),
            )
        )

    back: dict[str, str] = {}
    if params.get("decision") != "allow":
        back = dict(
            deny_params
            or {"error": "access_denied", "error_description": "The user denied the request"}
        )
    else:
        handle = (params.get("handle") or DEFAULT_HANDLE).strip().lstrip("@")
        code = net.state.issue_code(
            network=net.key,
            client_id=client_id,
            redirect_uri=redirect_uri,
            handle=handle,
            scopes=tuple(s for s in params.get("scope", "").replace(",", " ").split() if s),
            code_challenge=challenge,
            code_challenge_method=method,
        )
        back = {"code": code.code}
    if state:
        back["state"] = state
    return redirect(with_params(redirect_uri, back))


def client_credentials(req: Request, form: dict[str, str]) -> tuple[str, str]:
    """Client id/secret from HTTP Basic or the body: networks accept either."""
    basic = req.basic
    if basic:
        return basic
    return form.get("client_id", ""), form.get("client_secret", "")
