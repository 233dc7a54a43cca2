"""Server-Timing for the benchmark: first in the middleware, and only there when settings.BENCHMARK_TIMING is on."""

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>, cpu;dur=<ms>`: the time Django spent on the request, from the first
    middleware in to the response out (template rendering and every query included; the WSGI server and the network
    not), and the CPU time the process used meanwhile, its Python's work, without the waits for the database or for a
    core (a gunicorn sync worker serves one request at a time)."""

    def __init__(self, get_response):
        if not settings.BENCHMARK_TIMING:
            raise MiddlewareNotUsed  # Django drops it at start-up: no cost to any request
        self.get_response = get_response

    def __call__(self, request):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = self.get_response(request)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        response["Server-Timing"] = f"app;dur={elapsed * 1000:.2f}, cpu;dur={cpu * 1000:.2f}"
        return response
