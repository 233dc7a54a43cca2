"""Meetings over the API, read-only: the same selectors and permissions as the pages."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi
from meetings import permissions, selectors
from meetings.models import Meeting
from meetings.serializers import AgendaOutputSerializer, MeetingListFilterSerializer, MeetingOutputSerializer, MinutesOutputSerializer

NOT_FOUND = OpenApiResponse(
    description="No such meeting, your agency is not a member of its group, or its agenda (minutes) is not issued (published) yet"
)
BAD_INPUT = OpenApiResponse(description="Bad input, such as an X-Acting-Membership that is not yours")


def _meeting(request, pk) -> Meeting:
    return selectors.meeting_get(pk=pk, user=request.user, membership=request.membership)


def _not_found():
    return Http404("No meeting found")


class MeetingListApi(AgencyScopedApi):
    # Declared so that the schema shows the page envelope (count, next, previous, results) and the page parameter.
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[MeetingListFilterSerializer, ACTING_MEMBERSHIP_PARAMETER],
        responses={200: MeetingOutputSerializer(many=True), 400: BAD_INPUT},
        description="Meetings of the casework groups your acting agency belongs to: upcoming (soonest first) or past (latest first).",
    )
    def get(self, request):
        filters = MeetingListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        upcoming = filters.validated_data["when"] == "upcoming"
        meetings = selectors.meetings_for_user(user=request.user, membership=request.membership, upcoming=upcoming, limit=100)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(list(meetings), request, view=self)
        return paginator.get_paginated_response(MeetingOutputSerializer(page, many=True).data)


class MeetingAgendaApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: AgendaOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        description="The issued agenda, in order. A case item shows the group pack's summary; a member agency that does "
        "not lead a case sees it only while the case is with the group.",
    )
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        if not permissions.can_see_agenda(user=request.user, membership=request.membership, meeting=meeting):
            raise _not_found()
        items = selectors.visible_items(meeting, user=request.user, agency=request.agency)
        outline = selectors.agenda_outline(items)
        ordered = [item for section in outline for item in ([section["standing"]] if section["standing"] else []) + section["items"]]
        references = [item.case.reference for item in items if item.case_id]
        audit_record(
            actor=Actor.from_request(request), action=AuditEvent.Action.VIEW, obj=meeting,
            changes={"cases": [None, references]} if references else {}, detail=f"Viewed the agenda of {meeting} (API)",
        )
        notes = next((item.facts.get("changes", []) for item in ordered if item.section == 9), [])
        return Response(AgendaOutputSerializer({"meeting": meeting, "items": ordered, "notes": notes}).data)


class MeetingMinutesApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: MinutesOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        description="The published minutes (the chair and administrator also see the draft), numbered in the group's running sequence.",
    )
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        if not permissions.can_see_minutes(user=request.user, membership=request.membership, meeting=meeting) or meeting.agenda_built_at is None:
            raise _not_found()
        items = selectors.meeting_items(meeting)
        numbers = selectors.minute_numbers(meeting, items)
        outline = selectors.agenda_outline(items, numbers)
        minuted = [i for section in outline for i in ([section["standing"]] if section["standing"] else []) + section["items"] if i.minute_no]
        attendance = selectors.meeting_attendance(meeting)
        audit_record(actor=Actor.from_request(request), action=AuditEvent.Action.VIEW, obj=meeting, detail=f"Viewed the minutes of {meeting} (API)")
        return Response(
            MinutesOutputSerializer(
                {
                    "meeting": meeting,
                    "published": meeting.minutes_published_at is not None,
                    "previous_minutes_approval": meeting.previous_minutes_approval,
                    "previous_minutes_alterations": meeting.previous_minutes_alterations,
                    "present": attendance["present"],
                    "apologies": attendance["apologies"],
                    "minutes": minuted,
                }
            ).data
        )
