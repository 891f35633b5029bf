"""A small SAML 2.0 identity provider, built on pysaml2, served over HTTP on loopback.

It is a real implementation someone else wrote (pysaml2 parses the AuthnRequest Chorus
sends, builds the Response and signs it with the xmlsec1 binary), so Chorus's service
provider is tested against an IdP it does not share code with (Chorus uses python3-saml).

Endpoints:
  GET /metadata        the IdP's metadata (what an admin uploads to Chorus)
  GET /sso/redirect    the HTTP-Redirect SSO endpoint: answers with a page that POSTs the
                       SAML Response to the ACS named in the request (HTTP-POST binding)

What the next answer looks like is set from the test (same process), e.g.
``idp.sign_in_as("ana@example.com", firstName="Ana")`` and ``idp.fault = "expired"``:
  None              a good, signed assertion
  "unsigned"        no signature on the assertion (nor on the response)
  "expired"         the assertion's NotOnOrAfter (conditions and subject confirmation)
                    is 10 minutes in the past
  "wrong_audience"  the audience is another service provider's entity id
  "replay"          the last good response is sent again, unchanged
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

FAULTS = {None, "unsigned", "expired", "wrong_audience", "replay"}


def xmlsec1_available() -> bool:
    return shutil.which("xmlsec1") is not None


def _key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "idp.key", directory / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


class _ThreadingServer(WSGIServer):
    daemon_threads = True


class TestIdentityProvider:
    """Start with ``TestIdentityProvider(tmp_path).start()``; ``stop()`` when done."""

    __test__ = False  # not a pytest test class

    def __init__(self, directory: Path, host: str = "127.0.0.1"):
        self.directory = Path(directory)
        self.host = host
        self.fault: str | None = None
        self.identity: dict[str, list[str]] = {}
        self.email = ""
        self.last_post: dict[str, str] | None = None
        self.requests_seen: list[str] = []
        self._server = None
        self._thread = None
        self.idp: Server | None = None

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> TestIdentityProvider:
        self._server = make_server(
            self.host, 0, self._app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.base_url = f"http://{self.host}:{self._server.server_port}"
        self.entity_id = f"{self.base_url}/metadata"
        key, cert = _key_and_certificate(self.directory, "Chorus test IdP")
        self.certificate_pem = cert.read_text()
        # No attribute converters: attributes go out under the names the test gives
        # (as an admin types them into Okta or Entra), not pysaml2's OID catalogue.
        no_maps = self.directory / "attribute-maps"
        no_maps.mkdir(exist_ok=True)
        (no_maps / "passthrough.py").write_text(
            'MAP = {"identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",'
            ' "fro": {}, "to": {}}\n'
        )
        self._config = IdPConfig()
        self._config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
                "key_file": str(key),
                "cert_file": str(cert),
                "service": {
                    "idp": {
                        "name": "Chorus test IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT),
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "want_authn_requests_signed": False,
                        "policy": {"default": {"lifetime": {"minutes": 5}}},
                    }
                },
                "metadata": {},
                "attribute_map_dir": str(no_maps),
            }
        )
        self.idp = Server(config=self._config)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- what the test controls -------------------------------------------------------
    def metadata_xml(self) -> str:
        return str(entity_descriptor(self._config))

    def trust_service_provider(self, metadata_xml: str) -> None:
        """Load the SP's metadata (as Chorus serves it) so requests from it are accepted."""
        self.idp.metadata.load("inline", metadata_xml)

    def sign_in_as(self, email: str, **attributes: str) -> None:
        self.email = email
        self.identity = {"email": [email]} | {k: [v] for k, v in attributes.items()}

    # -- HTTP -------------------------------------------------------------------------
    def _app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata_xml().encode()]
        if path == "/sso/redirect":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            try:
                body = self._answer(query["SAMLRequest"][0], query.get("RelayState", [""])[0])
            except Exception as exc:  # the IdP says what it refused, like a real one
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"IdP refused the request: {exc!r}".encode()]
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _answer(self, saml_request: str, relay_state: str) -> str:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}")
        if self.fault == "replay":
            if self.last_post is None:
                raise ValueError("nothing to replay yet")
            return self._auto_post(**self.last_post)
        parsed = self.idp.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        request = parsed.message
        self.requests_seen.append(request.id)
        acs = request.assertion_consumer_service_url
        sp_entity_id = request.issuer.text
        audience = sp_entity_id
        if self.fault == "wrong_audience":
            audience = "https://another-service.example/saml/metadata/"
        lifetime = {"minutes": -10} if self.fault == "expired" else {"minutes": 5}
        self.idp.config.setattr("idp", "policy", Policy({"default": {"lifetime": lifetime}}))
        signed = self.fault != "unsigned"
        response = self.idp.create_authn_response(
            identity=self.identity,
            in_response_to=request.id,
            destination=acs,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=self.email),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            },
            sign_assertion=signed,
            sign_response=False,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            best_effort=True,
        )
        info = self.idp.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            destination=acs,
            relay_state=relay_state,
            response=True,
        )
        fields = dict(_hidden_fields(info["data"]))
        post = {"action": acs, "saml_response": fields["SAMLResponse"], "relay_state": relay_state}
        if self.fault is None:
            self.last_post = post  # "replay" sends the last good answer again
        return self._auto_post(**post)

    @staticmethod
    def _auto_post(action: str, saml_response: str, relay_state: str) -> str:
        return (
            "<!doctype html><html><body><p>Chorus test IdP: returning to the service provider"
            f'</p><form id="f" method="post" action="{html.escape(action)}">'
            f'<input type="hidden" name="SAMLResponse" value="{html.escape(saml_response)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
            '<noscript><button type="submit">Continue</button></noscript></form>'
            "<script>document.getElementById('f').submit()</script></body></html>"
        )


def _hidden_fields(form_html: str):
    import re

    for name, value in re.findall(r'name="([^"]+)"\s+value="([^"]*)"', form_html):
        yield name, html.unescape(value)
