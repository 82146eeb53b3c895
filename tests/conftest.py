import pytest

from tests.factories import StaffFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(username="editor"))
    return client


pytest_plugins = ["tests.browser", "tests.comment_helpers"]


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    user = StaffFactory(username="mod", email="mod@example.com")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with a cold cache, whatever ran before it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
