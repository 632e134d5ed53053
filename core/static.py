"""The static files' storage: WhiteNoise's compressed, hashed files, each file's URL worked out once per web
process rather than on every page.

Every page links its style sheets and scripts with {% static %}; each URL was a hundred Python function calls
(cleaning the name, finding its hashed name in the manifest, quoting and joining it), some 400 a page (issue
13). The manifest is read when the process starts and does not change while it runs (collectstatic writes
a new one for the next release), so neither does a file's URL. With DEBUG the URLs are not hashed and the
files may change: nothing is kept then.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
