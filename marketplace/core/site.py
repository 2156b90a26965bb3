"""Absolute addresses of the site's pages, for links that leave the site (feeds, e-mails, PDFs)."""

from django.conf import settings


def site_url(path: str, *, request=None) -> str:
    """``path`` on the public site (``PUBLIC_SITE_URL``) when that is set, else on the host the
    request came to, else ``path`` as it is."""
    site = getattr(settings, "PUBLIC_SITE_URL", "")
    if site:
        return site.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path
