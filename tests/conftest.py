import pytest

from tests.factories import StaffFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(username="editor"))
    return client


pytest_plugins = ["tests.browser"]
