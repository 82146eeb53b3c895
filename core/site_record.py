"""Keep the sites framework's record in step with SITE_URL and SITE_NAME.

django-contrib-comments and mail templates read the current Site; the settings
are the one place where the site's address is configured.
"""

from urllib.parse import urlsplit

from django.conf import settings


def sync_site_with_settings(**kwargs):
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )
