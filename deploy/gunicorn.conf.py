"""gunicorn settings for Parchemin in production (`gunicorn --config deploy/gunicorn.conf.py parchemin.wsgi`).

Synchronous workers: every page is a short database-bound request, and slow work (jury planning,
parchemins) goes to the background worker. Two workers per core is the usual starting point; each keeps
its database connection between requests (CONN_MAX_AGE). Override any value with GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count())))
# A worker that served this many requests is replaced, so that a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# Long enough for the largest exports, which stream; a request stuck longer than this is killed.
timeout = 60
graceful_timeout = 30
# The TLS proxy in front (BEHIND_TLS_PROXY=true) is the only client; it keeps connections open.
keepalive = 5
accesslog = "-"
errorlog = "-"
