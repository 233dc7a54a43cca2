"""The API's Swagger UI page under the Content Security Policy.

The split view serves its start-up script as a file of its own (no inline script). Swagger UI itself comes from the
CDN that drf-spectacular points at and brings a small inline style, so this one page widens the policy for them.
"""

from urllib.parse import urlsplit

from csp.decorators import csp_update
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularSwaggerSplitView


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "'self'"


_SWAGGER_ORIGIN = _origin(spectacular_settings.SWAGGER_UI_DIST)

api_docs_view = csp_update(
    {
        "script-src": [_SWAGGER_ORIGIN],
        "style-src": [_SWAGGER_ORIGIN, "'unsafe-inline'"],
        "img-src": [_SWAGGER_ORIGIN],
    }
)(SpectacularSwaggerSplitView.as_view(url_name="api_schema"))
