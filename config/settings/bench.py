"""The benchmark (`make bench`): production's behaviour over plain HTTP on loopback, with the Server-Timing header.

Like prod.py: DEBUG off, cached templates, compressed static files; the cache in Redis when REDIS_URL is set. Unlike
it: no HTTPS redirect or secure-only cookies (the benchmark client speaks HTTP to 127.0.0.1), and no secret needed.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
BENCHMARK_TIMING = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECRET_KEY = env.str("SECRET_KEY", default="benchmark-only-key-" + "x" * 40)
# The benchmark's few users make many API calls a second; production keeps its throttle.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "1000000/minute"}}  # noqa: F405
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
# Static files from the source folders (no collectstatic step): the pages name them the same way.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
