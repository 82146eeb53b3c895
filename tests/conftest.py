import os

import pytest
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from tests.factories import StaffFactory


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Production hashes passwords slowly on purpose (PBKDF2); tests create many
    users and need none of that cost. PBKDF2 stays available for tests whose
    users log in to a separate server process (production settings)."""
    hashers = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture
def staff_client(client, db):
    """An editor: staff who may change posts and pages, so may preview them."""
    from django.contrib.auth.models import Permission

    editor = StaffFactory(username="editor")
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label="blog", codename__startswith="change_")
    )
    client.force_login(editor)
    return client


pytest_plugins = ["tests.comment_helpers", "tests.worker_helpers"]


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


@pytest.fixture(autouse=True)
def fresh_log_throttle():
    """Each test sees its failures logged: the repeated-failure filter forgets what
    earlier tests logged (core/log_throttle.py)."""
    import logging

    from core.log_throttle import RepeatedFailureFilter

    for logged in logging.getLogger("django.request").filters:
        if isinstance(logged, RepeatedFailureFilter):
            logged.reset()


# CI runs the property-based tests with a fixed seed, so a run is reproducible;
# locally they explore new examples every time.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")
