from .branding import brand_for
from .navigation import navigation_for, navigation_sections_for, page_prompts_for
from .permissions import ADMINS, CURATORS, MANAGERS
from .selectors import organizations_for_user


def organization(request):
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    organization = getattr(request, "organization", None)

    def my_organizations():
        if user is None or not user.is_authenticated:
            return []
        return list(organizations_for_user(user=user))

    return {
        "organization": organization,
        # Callables: the template resolves them only where a menu is shown.
        "navigation": lambda: navigation_for(organization, membership),
        "navigation_sections": lambda: navigation_sections_for(organization, membership),
        "page_prompts": lambda: page_prompts_for(organization, membership),
        "membership": membership,
        "brand": lambda: brand_for(organization),
        "my_organizations": my_organizations,
        "is_org_admin": role in ADMINS,
        "is_curator": role in CURATORS,
        "is_manager": role in MANAGERS,
    }
