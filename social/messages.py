"""What to tell a person when a network call goes wrong: one plain sentence
per error kind, in their language. Admins see the network's own words too
(the technical message is kept on the error row)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from social.providers.base import (
    NotSupported,
    Permanent,
    ProviderError,
    RateLimited,
    ReauthRequired,
    TokenExpired,
    Transient,
)


def explain(err: Exception, network: str) -> str:
    """A clear message for the employee about `err` on `network` (a display name)."""
    from social.keycheck import KeysMisconfigured

    if isinstance(err, KeysMisconfigured):
        return _(
            "Sending to %(network)s is paused because of a configuration problem on our "
            "side. Nothing to do for you: it resumes by itself once it is fixed."
        ) % {"network": network}
    if isinstance(err, ReauthRequired | TokenExpired):
        return _(
            "%(network)s no longer accepts Chorus's access. Please connect your account again."
        ) % {"network": network}
    if isinstance(err, RateLimited):
        return _("%(network)s asked us to slow down. We will try again later.") % {
            "network": network
        }
    if isinstance(err, Transient):
        return _("%(network)s did not answer properly. Please try again in a few minutes.") % {
            "network": network
        }
    code = getattr(err, "code", None)
    if isinstance(err, NotSupported) and code == "network_off":
        return _(
            "%(network)s is not available on this Chorus server. Your administrator can turn it on."
        ) % {"network": network}
    if isinstance(err, NotSupported) and code == "x_plan_without_reads":
        return _(
            "%(network)s does not let this Chorus app read posts on its current plan, so "
            "their figures are not available."
        ) % {"network": network}
    if isinstance(err, NotSupported):
        return _("%(network)s does not support this for your account.") % {"network": network}
    if isinstance(err, Permanent) and code == "too_long":
        return _("Too long for %(network)s: %(rule)s. Shorten the text and share again.") % {
            "network": network,
            "rule": err.message.removeprefix("Not sent: "),
        }
    if isinstance(err, Permanent) and getattr(err, "status", None) == 426:
        return _(
            "Chorus uses a version of the %(network)s API that %(network)s has retired. "
            "Your administrator has been told; please try again later."
        ) % {"network": network}
    if isinstance(err, ProviderError):
        return _("%(network)s refused the request: %(reason)s") % {
            "network": network,
            "reason": err.message,
        }
    return _("Something went wrong while talking to %(network)s. Please try again.") % {
        "network": network
    }
