"""Static files' URLs (core.static.StaticStorage): WhiteNoise's hashed names, worked out once per process."""

import json

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from whitenoise.storage import CompressedManifestStaticFilesStorage

# As collectstatic writes the manifest (staticfiles.json), for the files every page links.
HASHED = {
    "css/app.css": "css/app.0123456789ab.css",
    "css/narrow.css": "css/narrow.ba9876543210.css",
    "js/error-summary.js": "js/error-summary.00aa11bb22cc.js",
}


@pytest.fixture
def collected(settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": HASHED, "version": "1.1"}))
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "core.static.StaticStorage"}}
    return tmp_path


def test_the_urls_are_whitenoises_hashed_names(collected, client):
    whitenoise = CompressedManifestStaticFilesStorage(location=collected)
    for _ in range(2):  # worked out, then kept
        assert [staticfiles_storage.url(name) for name in HASHED] == [whitenoise.url(name) for name in HASHED]
    assert staticfiles_storage.url("css/app.css") == "/static/css/app.0123456789ab.css"
    page = client.get(reverse("login")).text
    assert all(f"/static/{hashed}" in page for hashed in HASHED.values())


def test_a_file_missing_from_the_manifest_is_refused_every_time(collected):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            staticfiles_storage.url("css/no-such-file.css")
