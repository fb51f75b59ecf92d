"""The widget registry: core shows what apps registered, for the roles that count in this request."""

import pytest

from giaoducso.core import widgets
from giaoducso.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    saved = dict(widgets._REGISTRY)
    widgets._REGISTRY.clear()
    yield widgets
    widgets._REGISTRY.clear()
    widgets._REGISTRY.update(saved)


def test_roles_predicate_order_and_hidden(registry, world):
    seen = []

    def context(user, memberships):
        seen.append([m.role for m in memberships])
        return {"n": 1}

    registry.register_widget("b", roles=[Role.TEACHER], template="t.html", context_fn=context, order=2)
    registry.register_widget(
        "a", roles=[Role.TEACHER, Role.PARENT], template="t.html", context_fn=context, order=1
    )
    registry.register_widget("hidden", roles=[Role.TEACHER], template="t.html", context_fn=lambda u, m: None)
    registry.register_widget(
        "only_nobody", predicate=lambda u: u.username == "w_nobody", template="t.html", context_fn=context
    )
    assert [w.key for w in registry.widgets_for(world.user(Role.TEACHER))] == ["a", "b"]
    assert seen == [[Role.TEACHER], [Role.TEACHER]]
    assert [w.key for w in registry.widgets_for(world.user(Role.PARENT))] == ["a"]
    assert [w.key for w in registry.widgets_for(world.nobody)] == ["only_nobody"]


def test_the_active_membership_decides(registry, world):
    registry.register_widget("t", roles=[Role.TEACHER], template="t.html", context_fn=lambda u, m: {})
    user = world.user(Role.PRINCIPAL)
    from giaoducso.testing.factories import MembershipFactory

    teaching = MembershipFactory(user=user, unit=world.school_a, role=Role.TEACHER)
    assert [w.key for w in registry.widgets_for(user)] == ["t"]
    user.active_membership = user.memberships.exclude(pk=teaching.pk).get()
    assert registry.widgets_for(user) == []


def test_a_widget_for_everyone_must_say_so(registry):
    with pytest.raises(ValueError, match="roles or a predicate"):
        registry.register_widget("x", template="t.html", context_fn=lambda u, m: {})
