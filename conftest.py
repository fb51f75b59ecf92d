import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from giaoducso.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters kept in the cache (failed transfer lookups per address, say) must not carry from one
    test into the next: every test client comes from 127.0.0.1."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
