"""Django admin: an administrator resets a user's two-factor sign-in (a lost or replaced phone)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from agencies.two_factor import two_factor_reset
from audit.services import Actor

User = get_user_model()


@admin.action(description="Reset two-factor sign-in (the user sets it up again at next sign-in)")
def reset_two_factor(modeladmin, request, queryset):
    actor = Actor.from_request(request)
    for user in queryset:
        two_factor_reset(actor=actor, user=user)
    count = queryset.count()
    modeladmin.message_user(
        request,
        f"Two-factor sign-in reset for {count} user{'s' * (count != 1)}: their sessions have ended and they will set it up again when they next sign in.",
        messages.SUCCESS,
    )


class SecureUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, reset_two_factor]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, SecureUserAdmin)
