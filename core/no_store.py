"""Pages and downloads show personal data: no browser or proxy may keep a copy of any of them."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response Django makes.

    Listed below WhiteNoise, so static files (which WhiteNoise answers before this runs) keep their own
    long cache headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
