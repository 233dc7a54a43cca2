"""Interventions, actions and notes on a case, under /api/v1/cases/<reference>/.

Reading needs view access to the case; writing needs contribute access. A case the caller may not see (or may not
add to, for writes) is a 404, as everywhere.
"""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from audit.services import Actor
from casework import permissions
from casework.apis.cases import BAD_INPUT, NOT_FOUND
from casework.models import InterventionBreach
from casework.selectors import actions as action_selectors
from casework.selectors import interventions as intervention_selectors
from casework.selectors import notes as note_selectors
from casework.selectors.cases import case_get
from casework.serializers.work import (
    ActionCreateInputSerializer,
    ActionOutputSerializer,
    ActionUpdateInputSerializer,
    BreachInputSerializer,
    BreachOutputSerializer,
    InterventionCreateInputSerializer,
    InterventionOutputSerializer,
    InterventionUpdateInputSerializer,
    NoteCreateInputSerializer,
    NoteOutputSerializer,
)
from casework.services.actions import action_create, action_mark_done, action_reopen, action_update
from casework.services.cases import case_view_record
from casework.services.interventions import intervention_breach_record, intervention_create, intervention_update
from casework.services.notes import note_write
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi

WRITE_NOT_FOUND = OpenApiResponse(
    description="No such case (or item), or your agency may not see the case or add to it (not told apart)"
)
LEGAL_BAD_INPUT = OpenApiResponse(
    description="Bad input, a message per field; includes the limits the law sets (ages, a warning before a notice)"
)


def _case(request, reference, codename=permissions.VIEW):
    return case_get(reference=reference, user=request.user, agency=request.agency, codename=codename)


def _breaches():
    return Prefetch("breaches", queryset=InterventionBreach.objects.order_by("-occurred_on", "-id"))


class CaseInterventionsApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: InterventionOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, reference):
        case = _case(request, reference)
        case_view_record(actor=Actor.from_request(request), case=case, what="Interventions (API)")
        interventions = intervention_selectors.case_interventions(case=case).prefetch_related(_breaches())
        return Response(InterventionOutputSerializer(interventions, many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=InterventionCreateInputSerializer,
        responses={201: InterventionOutputSerializer, 400: LEGAL_BAD_INPUT, 404: WRITE_NOT_FOUND},
        description="Records an intervention. A civil injunction needs the person aged 10 or over on the start date; a "
        "Community Protection Warning or Notice 16 or over; a Notice needs an earlier Warning to the same person on "
        "the case. An unknown date of birth is allowed and reported in `warnings`.",
    )
    def post(self, request, reference):
        case = _case(request, reference, permissions.CONTRIBUTE)
        data = InterventionCreateInputSerializer(data=request.data, context={"case": case})
        data.is_valid(raise_exception=True)
        intervention = intervention_create(actor=Actor.from_request(request), case=case, **data.validated_data)
        return Response(InterventionOutputSerializer(intervention).data, status=status.HTTP_201_CREATED)


class CaseInterventionDetailApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: InterventionOutputSerializer, 404: NOT_FOUND})
    def get(self, request, reference, pk):
        case = _case(request, reference)
        intervention = intervention_selectors.case_intervention_get(case=case, pk=pk)
        case_view_record(actor=Actor.from_request(request), case=case, what=f"Intervention {intervention.pk} (API)")
        return Response(InterventionOutputSerializer(intervention).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=InterventionUpdateInputSerializer,
        responses={200: InterventionOutputSerializer, 400: LEGAL_BAD_INPUT, 404: WRITE_NOT_FOUND},
        description="Changes status, dates or notes. A new start date is checked against the law again. To make it "
        "breached, POST a breach.",
    )
    def patch(self, request, reference, pk):
        case = _case(request, reference, permissions.CONTRIBUTE)
        intervention = intervention_selectors.case_intervention_get(case=case, pk=pk)
        data = InterventionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        intervention = intervention_update(actor=Actor.from_request(request), intervention=intervention, **data.validated_data)
        return Response(InterventionOutputSerializer(intervention).data)


class InterventionBreachesApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=BreachInputSerializer,
        responses={201: BreachOutputSerializer, 400: BAD_INPUT, 404: WRITE_NOT_FOUND},
        description="Records a breach; the intervention's status becomes breached.",
    )
    def post(self, request, reference, pk):
        case = _case(request, reference, permissions.CONTRIBUTE)
        intervention = intervention_selectors.case_intervention_get(case=case, pk=pk)
        data = BreachInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        breach = intervention_breach_record(actor=Actor.from_request(request), intervention=intervention, **data.validated_data)
        return Response(BreachOutputSerializer(breach).data, status=status.HTTP_201_CREATED)


class CaseActionsApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: ActionOutputSerializer(many=True), 404: NOT_FOUND},
                   description="Open actions first, soonest due first; then done ones.")
    def get(self, request, reference):
        case = _case(request, reference)
        case_view_record(actor=Actor.from_request(request), case=case, what="Actions (API)")
        return Response(ActionOutputSerializer(action_selectors.case_actions(case=case), many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=ActionCreateInputSerializer,
        responses={201: ActionOutputSerializer, 400: BAD_INPUT, 404: WRITE_NOT_FOUND},
        description="Adds an action owned by `owner_user`, `owner_agency` or both (at least one), with access to the case.",
    )
    def post(self, request, reference):
        case = _case(request, reference, permissions.CONTRIBUTE)
        data = ActionCreateInputSerializer(data=request.data, context={"case": case})
        data.is_valid(raise_exception=True)
        action = action_create(actor=Actor.from_request(request), case=case, **data.validated_data)
        return Response(ActionOutputSerializer(action).data, status=status.HTTP_201_CREATED)


class CaseActionDetailApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=ActionUpdateInputSerializer,
        responses={200: ActionOutputSerializer, 400: BAD_INPUT, 404: WRITE_NOT_FOUND},
        description="`done_on` set to a date marks the action done; null reopens it. Other fields change the action.",
    )
    def patch(self, request, reference, pk):
        case = _case(request, reference, permissions.CONTRIBUTE)
        action = action_selectors.case_action_get(case=case, pk=pk)
        data = ActionUpdateInputSerializer(data=request.data, context={"case": case})
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        actor = Actor.from_request(request)
        # All of one request or none of it.
        with transaction.atomic():
            if "done_on" in changes:
                done_on = changes.pop("done_on")
                action = action_mark_done(actor=actor, action=action, done_on=done_on) if done_on else action_reopen(actor=actor, action=action)
            if changes:
                action = action_update(actor=actor, action=action, **changes)
        return Response(ActionOutputSerializer(action).data)


class CaseNotesApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={200: NoteOutputSerializer(many=True), 404: NOT_FOUND},
        description="Newest first. OFFICIAL-SENSITIVE notes appear only to the writer's agency and agencies they are shared with.",
    )
    def get(self, request, reference):
        case = _case(request, reference)
        case_view_record(actor=Actor.from_request(request), case=case, what="Notes (API)")
        return Response(NoteOutputSerializer(note_selectors.case_notes(case=case, agency=request.agency), many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=NoteCreateInputSerializer,
        responses={201: NoteOutputSerializer, 400: BAD_INPUT, 404: WRITE_NOT_FOUND},
        description="Writes a note for your acting agency. Notes cannot be changed afterwards: a correction is a new note.",
    )
    def post(self, request, reference):
        case = _case(request, reference, permissions.CONTRIBUTE)
        data = NoteCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = note_write(actor=Actor.from_request(request), case=case, **data.validated_data)
        return Response(NoteOutputSerializer(note).data, status=status.HTTP_201_CREATED)
