"""The home page's widgets: each app registers the cards it offers, core shows those that apply.

Core never imports an app (DESIGN §3): an app calls `register_widget()` from its AppConfig.ready(), and the
home view asks `widgets_for(user)`. A widget applies when one of the memberships that count for the
request (the active one from the unit switcher, else every active one) holds one of its `roles`, and its
`predicate` (if any) agrees; its `context_fn` then receives the user and those matching memberships and
returns the template's context, or None to stay hidden (nothing to show). Each context_fn must be cheap:
a bounded number of queries whatever the size of the unit (the home-page tests assert it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .models import Membership
from .scoping import memberships_for

ContextFn = Callable[[Any, list[Membership]], dict[str, Any] | None]
Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class Widget:
    key: str
    template: str
    context_fn: ContextFn
    roles: frozenset[str] | None  # None: any signed-in user (the predicate decides)
    predicate: Predicate | None
    order: int


@dataclass(frozen=True)
class ShownWidget:
    key: str
    template: str
    context: dict[str, Any]


_REGISTRY: dict[str, Widget] = {}


def register_widget(
    key: str,
    *,
    template: str,
    context_fn: ContextFn,
    roles: Iterable[str] | None = None,
    predicate: Predicate | None = None,
    order: int = 100,
) -> Widget:
    """Adds (or replaces, when ready() runs twice) the widget `key`. Lower `order` shows first."""
    if roles is None and predicate is None:
        raise ValueError(f"Widget {key!r} needs roles or a predicate: a home page for everyone is a choice.")
    widget = Widget(
        key=key,
        template=template,
        context_fn=context_fn,
        roles=frozenset(roles) if roles is not None else None,
        predicate=predicate,
        order=order,
    )
    _REGISTRY[key] = widget
    return widget


def unregister_widget(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered_widgets() -> list[Widget]:
    return sorted(_REGISTRY.values(), key=lambda w: (w.order, w.key))


def widgets_for(user: Any) -> list[ShownWidget]:
    """The widgets that apply to `user`, in order, each with its context."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = memberships_for(user)
    shown = []
    for widget in registered_widgets():
        matching = [m for m in memberships if widget.roles is None or m.role in widget.roles]
        if widget.roles is not None and not matching:
            continue
        if widget.predicate is not None and not widget.predicate(user):
            continue
        context = widget.context_fn(user, matching)
        if context is not None:
            shown.append(ShownWidget(key=widget.key, template=widget.template, context=context))
    return shown
