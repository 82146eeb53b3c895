from django.conf import settings

from .content_version import content_version


def site(request):
    """The site's name and address for every template; no queries."""
    return {
        "content_version": content_version,  # called lazily, only by cached fragments
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_URL": settings.SITE_URL,
        "SITE_LANGUAGE": settings.SITE_LANGUAGE,
    }
