from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .content_version import content_version
from .site_url import site_url


def site(request):
    """The site's name and address for every template; no queries."""
    return {
        # Read once per request, and only if a cached fragment asks: a page's
        # fragments share one cache round trip for it instead of one each.
        "content_version": SimpleLazyObject(content_version),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_URL": site_url(),
        "SITE_LANGUAGE": settings.SITE_LANGUAGE,
    }
