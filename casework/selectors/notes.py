"""Reads of notes: only those the acting agency may see under their security marking."""

from django.db.models import Prefetch

from agencies.models import Agency
from casework import permissions
from casework.models import Case, Note


def case_notes(*, case: Case, agency):
    """The case's timeline, newest first, narrowed by marking to what `agency` may see."""
    notes = Note.objects.filter(case=case).select_related("author", "agency")
    return permissions.marked_items_visible(notes, agency=agency).prefetch_related(
        Prefetch("shared_with", queryset=Agency.objects.order_by("name"))
    ).order_by("-written_at", "-id")


def note_share_choices(*, case: Case, agency):
    """Agencies a sensitive note may be shared with: those with access to the case, other than the writer's."""
    agencies = permissions.agencies_with_case_access(case=case).order_by("name")
    return agencies.exclude(pk=agency.pk) if agency is not None else agencies
