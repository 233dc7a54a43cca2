"""The user's own notifications: a list, and marking them read."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agencies.notifications import notification_mark_read, notifications_for_user
from audit.services import Actor

NOTIFICATIONS_PER_PAGE = 25


def notification_list(request):
    notifications = notifications_for_user(user=request.user)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    unread = notifications.filter(read_at__isnull=True).count()
    return render(request, "agencies/notifications.html", {"page": page, "unread": unread})


@require_POST
def notification_read(request, pk=None):
    """Mark one notification read (it must be the user's own: anyone else's is simply not found) or all of them."""
    notification_mark_read(actor=Actor.from_request(request), user=request.user, notification_id=pk)
    return redirect("notification_list")
