"""WSGI entry point for gunicorn: `gunicorn acompana.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acompana.settings")
application = get_wsgi_application()
