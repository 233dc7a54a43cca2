"""Checks one response of the API against the OpenAPI schema that /api/schema/ serves: the status is declared, the
content type is one declared for it, and the body validates (by schemathesis, as in the run over the whole API)."""

import json
from functools import lru_cache

import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


@lru_cache(maxsize=1)
def api_schema() -> dict:
    """The schema as /api/schema/?format=json serves it (the same generator and settings)."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


@lru_cache(maxsize=1)
def _loaded():
    return schemathesis.openapi.from_dict(api_schema())


def operation_schema(method: str, template: str) -> dict:
    return api_schema()["paths"][template][method.lower()]


def assert_conforms(response, method: str, template: str) -> None:
    """`response` is from Django's or DRF's test client; `template` is the schema's path, e.g. /api/v1/cases/{reference}/."""
    declared = operation_schema(method, template)["responses"]
    status = str(response.status_code)
    assert status in declared, f"{method} {template} answered {status}, which it does not declare ({sorted(declared)})"
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    media_types = declared[status].get("content", {})
    if media_types and content_type:
        assert content_type in media_types, f"{method} {template} {status} came as {content_type}, not one of {sorted(media_types)}"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    request = requests.Request(method=method.upper(), url=f"http://testserver{response.wsgi_request.get_full_path()}").prepare()
    headers = {name.lower(): [value] for name, value in response.items()}
    answer = schemathesis.Response(status_code=response.status_code, headers=headers, content=content, request=request, elapsed=0.0, verify=True)
    _loaded()[template][method.upper()].validate_response(answer)
