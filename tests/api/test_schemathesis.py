"""Property-based tests of the JSON API from its own OpenAPI description (schemathesis).

Every operation, reads and writes, is called with generated data, authenticated as an office user on
a small register: no answer may be a server error or differ from what the description promises.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.rest.urls import SCHEMA_URLCONF

from .conftest import build_register, make_user


def load_schema():
    """The description exactly as /api/v1/schema/ serves it, calling the WSGI application directly."""
    generated = SchemaGenerator(urlconf=SCHEMA_URLCONF).get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def office_token(db):
    build_register(1)
    return make_user("office")[1]


@pytest.fixture
def one_connection():
    """Requests through the WSGI application keep the test's database connection and transaction.

    Django's test client does the same: otherwise the end of each request closes the connection.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    # Generated cases only: the exhaustive coverage phase would take minutes on a shared machine.
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_json_api_keeps_to_its_description(case, office_token, one_connection):
    case.call_and_validate(
        headers={"Authorization": f"Token {office_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
