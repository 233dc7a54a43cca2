"""Server-Timing for the benchmark: first in the middleware, and only there when settings.BENCHMARK_TIMING is on."""

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>`: the time Django spent on the request, from the first middleware in to the
    response out (template rendering and every query included; the WSGI server and the network not)."""

    def __init__(self, get_response):
        if not settings.BENCHMARK_TIMING:
            raise MiddlewareNotUsed  # Django drops it at start-up: no cost to any request
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response
