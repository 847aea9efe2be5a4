"""The floor page: the cheapest page Relance could serve, to read every page's time as a ratio.

It is the contact file's own HTML, captured once (`capture()`), served back by a template
with no variables behind the same middleware, session and sign-in as every page. What a page
costs above it is our code; what the floor costs is Django, the database round trips of the
session and the user, and the machine's mood at that moment. The bench measures the floor
right before each page, so a page's ratio holds on a busy machine (README "Performance").

Only the bench's settings (bench/settings.py) route to it; it is never a product URL.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client
from django.urls import path

FLOOR_URL = "/bench-floor/"


def floor_file() -> Path:
    return Path(settings.BENCH_FLOOR_FILE)


def capture(client: Client, url: str) -> int:
    """Write the page `client` gets at `url` as the floor's template; returns its size in bytes."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"The floor's page {url} answered {response.status_code}.")
    body = response.content.decode()
    floor_file().parent.mkdir(parents=True, exist_ok=True)
    floor_file().write_text("{% verbatim %}" + body + "{% endverbatim %}")
    compiled_floor.cache_clear()
    return len(response.content)


@functools.cache
def compiled_floor() -> Template:
    """Compiled once per process, as Django's cached template loader does in production."""
    return Template(floor_file().read_text())


def floor(request):
    return HttpResponse(compiled_floor().render(Context()))


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor, name="bench_floor")]
