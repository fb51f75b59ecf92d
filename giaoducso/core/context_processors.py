from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: site name, navigation for the user's roles, memberships, unread count."""
    user = getattr(request, "user", None)
    data: dict[str, Any] = {"SITE_NAME": settings.SITE_NAME}
    if user is None or not user.is_authenticated:
        return data
    from .models import Notification

    memberships = list(user.memberships.filter(is_active=True).select_related("unit"))
    data.update(
        nav_items=navigation_for(user),
        memberships=memberships,
        active_membership=getattr(user, "active_membership", None),
        unread_notifications=Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    )
    return data
