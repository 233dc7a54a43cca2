from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from audit.services import Actor
from casework import permissions, selectors
from casework.selectors import people as people_selectors
from casework.serializers.people import (
    CasePersonCreateInputSerializer,
    CasePersonOutputSerializer,
    DuplicatesFoundSerializer,
    PersonDetailOutputSerializer,
    PersonOutputSerializer,
    PersonUpdateInputSerializer,
)
from casework.services import people as people_services
from casework.services.cases import case_view_record
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi, Conflict

CASE_NOT_FOUND = OpenApiResponse(description="No such case, or your agency may not see it (or may not contribute to it, for changes)")
PERSON_NOT_FOUND = OpenApiResponse(description="No such person, or your agency may not see any of their cases (or contribute to one, for changes)")
BAD_INPUT = OpenApiResponse(description="Bad input: a message per field")


class CasePeopleApi(AgencyScopedApi):
    """The people on a case, with their roles; add a person."""

    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: CasePersonOutputSerializer(many=True), 404: CASE_NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        links = list(people_selectors.case_people_list(case=case, user=request.user, agency=request.agency))
        shown = ", ".join(str(link.person_id) for link in links)
        case_view_record(actor=Actor.from_request(request), case=case, what=f"People, API (person ids: {shown or 'none'})")
        return Response(CasePersonOutputSerializer(links, many=True).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=CasePersonCreateInputSerializer,
        responses={
            201: CasePersonOutputSerializer,
            400: BAD_INPUT,
            404: CASE_NOT_FOUND,
            409: OpenApiResponse(
                response=DuplicatesFoundSerializer,
                description="Possible duplicates of the person described (same name and date of birth, or same name and "
                            "postcode). Send again with `person` set to one of their ids (and the same details), or with "
                            "`confirm_new: true`. People your agency may not see are shown with limited details only.",
            ),
        },
        description="Needs contribute access to the case. Either link an existing person (`person`) or describe a new one; "
                    "a new one is made only when no possible duplicate exists or `confirm_new` is true.",
    )
    def post(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        data = CasePersonCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        role, notes = values.pop("role"), values.pop("notes", "")
        person_id, confirm_new = values.pop("person", None), values.pop("confirm_new", False)
        actor = Actor.from_request(request)
        details = people_services.person_fields_clean(**values) if (values or person_id is None) else {}
        candidates = people_selectors.person_duplicate_candidates(
            user=request.user, agency=request.agency, first_name=details.get("first_name", ""),
            last_name=details.get("last_name", ""), date_of_birth=details.get("date_of_birth"), postcode=details.get("postcode", ""),
        ) if details else []
        if person_id is not None:
            person = people_selectors.person_linkable_get(
                person_id=person_id, user=request.user, agency=request.agency, offered_ids=[c["id"] for c in candidates]
            )
            link = people_services.case_person_add(actor=actor, case=case, role=role, person=person, notes=notes)
        elif candidates and not confirm_new:
            people_services.person_offers_record(actor=actor, offered=candidates, case=case)
            found = {"detail": f"{len(candidates)} possible duplicate(s) found. Link one by id, or send confirm_new: true.",
                     "candidates": candidates}
            return Response(DuplicatesFoundSerializer(found).data, status=status.HTTP_409_CONFLICT)
        else:
            link = people_services.case_person_add(actor=actor, case=case, role=role, notes=notes, **details)
        return Response(CasePersonOutputSerializer(link).data, status=status.HTTP_201_CREATED)


class CasePersonDetailApi(AgencyScopedApi):
    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=None,
        responses={204: None, 400: BAD_INPUT, 404: CASE_NOT_FOUND},
        description="Take a person off the case (needs contribute access). Their record stays.",
    )
    def delete(self, request, reference, link_id):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        link = people_selectors.case_person_link_get(case=case, link_id=link_id)
        people_services.case_person_remove(actor=Actor.from_request(request), link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonDetailApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: PersonDetailOutputSerializer, 404: PERSON_NOT_FOUND},
                   description="A person your agency may see through at least one of their cases, with those cases.")
    def get(self, request, person_id):
        person = people_selectors.person_get(person_id=person_id, user=request.user, agency=request.agency)
        links = list(people_selectors.person_case_links(person=person, user=request.user, agency=request.agency))
        people_services.person_view_record(actor=Actor.from_request(request), person=person, what="API")
        role_counts = people_selectors.person_role_counts((link.role, link.case_id) for link in links)
        context = {"links": links, "role_counts": role_counts}
        return Response(PersonDetailOutputSerializer(person, context=context).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request=PersonUpdateInputSerializer,
        responses={200: PersonOutputSerializer, 400: BAD_INPUT, 404: PERSON_NOT_FOUND,
                   409: OpenApiResponse(description="Changed since the version you read; `changes` says what changed")},
        description="Needs contribute access to at least one of the person's cases. Send the `version` you read.",
    )
    def patch(self, request, person_id):
        person = people_selectors.person_get(person_id=person_id, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        data = PersonUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        try:
            person = people_services.person_update(actor=Actor.from_request(request), person=person, expected_version=version, **changes)
        except people_services.PersonVersionConflict as conflict:
            raise Conflict({"detail": str(conflict), "changes": conflict.changes}) from None
        return Response(PersonOutputSerializer(person).data)
