from .navigation import navigation_for
from .permissions import ADMINS, CURATORS, MANAGERS
from .selectors import organizations_for_user


def organization(request):
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None

    def my_organizations():
        if user is None or not user.is_authenticated:
            return []
        return list(organizations_for_user(user=user))

    return {
        "organization": getattr(request, "organization", None),
        "navigation": navigation_for(getattr(request, "organization", None), membership),
        "membership": membership,
        "my_organizations": my_organizations,
        "is_org_admin": role in ADMINS,
        "is_curator": role in CURATORS,
        "is_manager": role in MANAGERS,
    }
