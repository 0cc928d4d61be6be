import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def german():
    """Each test starts in German, whatever language an earlier request left active in this thread."""
    with translation.override("de"):
        yield
