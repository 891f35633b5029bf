"""allauth adapters: sign-up lands on creating an organization; SSO links by email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        return reverse("organization_create")

    def send_mail(self, template_prefix, email, context):
        # Emails go out in the recipient's language when we know it.
        from django.utils import translation

        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    pass
