"""The admin site: the catalogue of ASB kinds, and a read-only list of cases for administrators.

Cases are opened and changed only through the case pages and the API, where access and audit apply.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from audit.services import Actor
from casework.models import AsbKind, Case
from casework.services.cases import asb_kind_save, case_search_record


@admin.register(AsbKind)
class AsbKindAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    list_filter = ("category", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        asb_kind_save(actor=Actor.from_request(request), kind=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # cases refer to kinds: retire a kind by unticking "active"


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """A list for administrators, without personal details: reference, where it sits, and its state."""

    list_display = ("reference", "partnership", "lead_agency", "category", "kind", "status", "risk_level", "opened_on", "closed_on")
    list_filter = ("partnership", "status", "category", "risk_level", "lead_agency")
    search_fields = ("reference",)
    list_display_links = None
    list_select_related = ("partnership", "lead_agency", "kind")
    date_hierarchy = "opened_on"
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_search_results(self, request, queryset, search_term):
        case_search_record(actor=Actor.from_request(request), filters={"admin_reference": search_term.strip()})
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied("Cases are seen through the case pages, where every view is recorded.")
