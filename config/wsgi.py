import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

from config.errors import load_settings_or_exit  # noqa: E402

load_settings_or_exit()
application = get_wsgi_application()
