"""Property-based tests of the JSON API from its own OpenAPI description (schemathesis).

Every operation, reads and writes, is called with generated data – valid and invalid (schemathesis'
positive and negative modes), in its examples, coverage and fuzzing phases, and in stateful sequences
that follow the links between operations – once anonymously and once with an office token, on a small
register. Every check schemathesis has runs on every answer (not only "no server error": the status
codes, content types, headers and bodies the description promises, valid data accepted, invalid data
refused, authentication not ignored, methods not offered answered with 405, deleted records gone): no
failure of any class may occur.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from api.rest.urls import SCHEMA_URLCONF

from .conftest import build_register, make_user

# Examples, coverage (schemathesis runs it in Hypothesis' explicit phase) and fuzzing.
CASES = hypothesis_settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
SEQUENCES = hypothesis_settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    stateful_step_count=8,
    suppress_health_check=list(HealthCheck),
)


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
@CASES
def test_every_operation_keeps_to_its_description_with_a_token(case, office_token, one_connection):
    case.call_and_validate(headers={"Authorization": f"Token {office_token}"})


@schema.parametrize()
@CASES
def test_every_operation_keeps_to_its_description_without_a_token(case, office_token, one_connection):
    case.call_and_validate()


def sequences(headers):
    """A state machine over the operations whose every scenario starts from the same register."""

    class Sequences(schema.as_state_machine()):
        def setup(self):
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=headers,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    return Sequences


@pytest.mark.parametrize("with_token", [True, False], ids=["token", "anonymous"])
def test_sequences_of_operations_keep_to_the_description(office_token, one_connection, with_token):
    sequences({"Authorization": f"Token {office_token}"} if with_token else {}).run(settings=SEQUENCES)
