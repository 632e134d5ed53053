"""PDF documents drawn from Django templates by WeasyPrint, with our own stylesheet and no remote fetches."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

# Templates are rendered as if served from here; only its /static/ files can be fetched.
_BASE_URL = "https://focuspolicy.invalid/"


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        """Fetches the project's static files from disk; refuses the network and every other file."""

        def fetch(self, url, headers=None):
            prefix = _BASE_URL + settings.STATIC_URL.lstrip("/")
            found = finders.find(url.removeprefix(prefix)) if url.startswith(prefix) else None
            if not found:
                raise ValueError(f"PDF templates may only use the project's static files, not {url}")
            return super().fetch(Path(found).resolve().as_uri(), headers)

    return StaticFilesOnly(allowed_protocols=("file",))


def render_pdf(template_name, context, request=None):
    """The template rendered to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=_fetcher()).write_pdf()


def pdf_response(template_name, context, *, filename, request=None):
    """A PDF download of the template."""
    response = HttpResponse(
        render_pdf(template_name, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
