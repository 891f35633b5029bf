"""The identity app's models, gathered from each half so Django finds them.

SCIM: ``advocacy.identity.scim.models``. SAML: ``advocacy.identity.saml.models``
(helper 5 adds its import line below).
"""

from .saml.models import SamlAssertionSeen, SamlConnection, SamlSignIn  # noqa: F401
from .scim.models import ScimGroup, ScimRequestLog, ScimToken, ScimUser  # noqa: F401
