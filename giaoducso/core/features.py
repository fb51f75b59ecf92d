"""What the platform offers the public, as the public home page lists it.

The home page must say only what this deployment does today (DESIGN §3: modules arrive one by one). Each
app registers its public features from its AppConfig.ready(); the page lists what is registered, so it
grows with the platform and core never names an app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class PublicFeature:
    key: str
    title: str | Promise
    description: str | Promise
    url_name: str | None  # a public page to open, or None when the feature is for signed-in users
    order: int


@dataclass(frozen=True)
class ShownFeature:
    key: str
    title: str | Promise
    description: str | Promise
    url: str | None


_REGISTRY: dict[str, PublicFeature] = {}


def register_feature(
    key: str,
    *,
    title: str | Promise,
    description: str | Promise,
    url_name: str | None = None,
    order: int = 100,
) -> PublicFeature:
    """Adds (or replaces, when ready() runs twice) the feature `key`. Lower `order` shows first."""
    feature = PublicFeature(key=key, title=title, description=description, url_name=url_name, order=order)
    _REGISTRY[key] = feature
    return feature


def unregister_feature(key: str) -> None:
    _REGISTRY.pop(key, None)


def public_features() -> list[ShownFeature]:
    shown = []
    for feature in sorted(_REGISTRY.values(), key=lambda f: (f.order, f.key)):
        url = None
        if feature.url_name:
            try:
                url = reverse(feature.url_name)
            except NoReverseMatch:
                continue  # its module is not installed in this deployment
        shown.append(ShownFeature(feature.key, feature.title, feature.description, url))
    return shown
