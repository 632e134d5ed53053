from django.conf import settings


def sign_in_options(request):
    """What the login page offers: the organisation's accounts when OIDC is on, passwords unless OIDC_ONLY."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {}
    return {
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else "",
        "password_sign_in": not settings.OIDC_ONLY,
    }
