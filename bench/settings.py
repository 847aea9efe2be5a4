"""The benchmark's settings: the app's own, plus the bench app and the floor page (bench/floor.py).

    make bench        DJANGO_SETTINGS_MODULE=bench.settings (on crm.settings_test: DEBUG off, fast hasher)
    make bench-http   the same with BENCH_PRODUCTION=on (on crm.settings, what gunicorn serves in production)

The product's settings know nothing of the bench.
"""

import os
import tempfile

if os.environ.get("BENCH_PRODUCTION") == "on":
    from crm.settings import *  # noqa: F403
else:
    from crm.settings_test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405 — seed_bench, run_bench
ROOT_URLCONF = "bench.urls"
# Where the floor's template is written; one per database so that two runs side by side don't mix.
BENCH_FLOOR_FILE = os.environ.get("BENCH_FLOOR_FILE") or os.path.join(
    tempfile.gettempdir(), f"relance-bench-floor-{DATABASES['default']['NAME'].replace('/', '_')}.html"  # noqa: F405
)

if os.environ.get("BENCH_PRODUCTION") != "on":
    # In process, the one line per request would be printed between the report's rows; the floor and
    # the pages would pay for it alike. Over HTTP (bench-http) it stays on, as in production.
    LOGGING["loggers"]["crm.request"]["level"] = "WARNING"  # noqa: F405

# The export pages (export_contacts, export_opportunities) are timed writing the whole file in the
# request, as below the threshold; the background job that writes it above is timed by bench/web_import.py.
EXPORT_BACKGROUND_ROWS = 10**9
