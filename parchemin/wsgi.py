"""WSGI entry point (gunicorn parchemin.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")
application = get_wsgi_application()
