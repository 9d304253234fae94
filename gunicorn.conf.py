"""Production defaults for `gunicorn wsgi:app` (gunicorn reads this file from the working directory).

Each setting can be overridden by the environment (GUNICORN_WORKERS, PORT, ...) or on the command line.
With more than one worker (or server), set RATELIMIT_STORAGE_URI and TASK_QUEUE_URL to Redis: each
worker is its own process, and an in-memory login limit would count per worker (see docs/performance.md).
"""

import multiprocessing
import os

# Sync workers: each request holds one worker; the pages are short (tens of milliseconds at most) and
# the slow work (mail, LibreOffice) runs in the task queue, so (2 x cores) + 1 keeps the CPU busy.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# A request that takes longer than this is stuck: the worker is restarted rather than lost.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 10_000
max_requests_jitter = 1_000
# Uploads are at most 10 MB; the app refuses bigger ones itself (413).
limit_request_line = 8190
# Logs to standard output and error, for the service manager or the container to collect.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Behind an HTTPS reverse proxy on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once the app is loaded, its modules, templates and caches live as long as the worker: the garbage
    collector stops walking them (gc.freeze), so that its full collections stay short.

    The collector keeps Python's default thresholds. Every request leaves a little garbage in reference
    cycles that only the collector frees (Jinja's macros hold the template context, Werkzeug's request
    sits in its own environ): about a hundred objects per list page. Collected often, that is well under
    a millisecond at a time; with a high threshold (50,000) it piled up and was freed in one go, a
    stall every few hundred requests that set the pages' p99 latency (docs/performance.md)."""
    import gc

    gc.collect()
    gc.freeze()
