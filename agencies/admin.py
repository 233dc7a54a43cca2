from django.contrib import admin

from agencies.models import Agency, Membership, Partnership
from agencies.services import agency_save, membership_add


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "short_code", "stats_counting_from", "case_review_complaints", "case_review_months")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "is_statutory", "sharing_agreement_signed_on")
    list_filter = ("kind", "is_statutory", "partnerships")
    prepopulated_fields = {"slug": ("short_name",)}
    filter_horizontal = ("partnerships",)
    exclude = ("group",)

    def save_model(self, request, obj, form, change):
        agency_save(agency=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "partnership", "role", "is_active")
    list_filter = ("role", "agency", "partnership", "is_active")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            membership_add(user=obj.user, agency=obj.agency, partnership=obj.partnership, role=obj.role)
from agencies import admin_security  # noqa: E402,F401 - the user admin with the two-factor reset action
