"""Pages for the people on a case, a person's own page, and households."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import Actor, audit_record
from casework import permissions
from casework.forms.people import (
    CasePersonAddForm,
    DuplicateDecisionForm,
    HouseholdForm,
    HouseholdMemberAddForm,
    PersonEditForm,
    PersonForm,
)
from casework.models import Case, CasePerson, Person
from casework.selectors import people as people_selectors
from casework.services import people as people_services
from casework.services.cases import case_view_record
from casework.views.common import case_for_request, case_page_context
from config.table_cells import link_maker, short_date

FIELD_LABELS = {name: PersonForm.base_fields[name].label for name in PersonForm.base_fields}
FIELD_LABELS.update(date_of_birth="Date of birth", household="Household")


def person_for_request(request, person_id, codename=permissions.VIEW, *, with_may_edit=False) -> Person:
    """The person if the acting agency holds `codename` on one of their cases; otherwise 404, and the attempt is audited."""
    try:
        return people_selectors.person_get(
            person_id=person_id, user=request.user, agency=request.agency, codename=codename, with_may_edit=with_may_edit
        )
    except Http404:
        audit_record(
            actor=Actor.from_request(request), action=AuditEvent.Action.DENIED, object_type="person",
            object_id=person_id, person_id=person_id, detail=f"Asked for {request.path[:400]}",
        )
        raise


def household_for_request(request, household_id):
    try:
        return people_selectors.household_get(household_id=household_id, user=request.user, agency=request.agency)
    except Http404:
        audit_record(
            actor=Actor.from_request(request), action=AuditEvent.Action.DENIED, object_type="household",
            object_id=household_id, detail=f"Asked for {request.path[:400]}",
        )
        raise


def case_people(request, reference):
    case = case_for_request(request, reference)
    links = list(people_selectors.case_people_list(case=case, user=request.user, agency=request.agency))
    shown = ", ".join(str(link.person_id) for link in links)
    case_view_record(actor=Actor.from_request(request), case=case, what=f"People (person ids: {shown or 'none'})")
    return render(request, "casework/people/case_people.html", case_page_context(request, case, "case_people", links=links))


def case_person_add(request, reference):
    """Add a person to a case. Possible duplicates are offered before any new record is made."""
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    actor = Actor.from_request(request)
    form = CasePersonAddForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "casework/people/case_person_add.html", case_page_context(request, case, "case_people", form=form))
    try:
        details = people_services.person_fields_clean(**form.person_details())
    except ValidationError as error:
        form.add_service_errors(error)
        return render(request, "casework/people/case_person_add.html", case_page_context(request, case, "case_people", form=form))

    candidates = people_selectors.person_duplicate_candidates(
        user=request.user, agency=request.agency, first_name=details["first_name"], last_name=details["last_name"],
        date_of_birth=details["date_of_birth"], postcode=details["postcode"],
    )
    person = None
    if candidates:
        decision = DuplicateDecisionForm(request.POST if "decision" in request.POST or "decided" in request.POST else None,
                                         candidates=candidates)
        if not decision.is_valid():
            people_services.person_offers_record(actor=actor, offered=candidates, case=case)
            return render(request, "casework/people/case_person_duplicates.html",
                          case_page_context(request, case, "case_people", form=form, decision=decision, candidates=candidates))
        if decision.chosen_person_id is not None:
            person = people_selectors.person_linkable_get(
                person_id=decision.chosen_person_id, user=request.user, agency=request.agency,
                offered_ids=[candidate["id"] for candidate in candidates],
            )

    role, notes = form.cleaned_data["role"], form.cleaned_data["notes"]
    try:
        if person is not None:
            link = people_services.case_person_add(actor=actor, case=case, role=role, person=person, notes=notes)
        else:
            link = people_services.case_person_add(actor=actor, case=case, role=role, notes=notes, **details)
    except ValidationError as error:
        form.add_service_errors(error)
        return render(request, "casework/people/case_person_add.html", case_page_context(request, case, "case_people", form=form))
    verb = "Linked the existing record for" if person is not None else "Added"
    messages.success(request, f"{verb} {link.person} to this case as {link.get_role_display().lower()}.")
    return redirect("case_people", case.reference)


def case_person_remove(request, reference, link_id):
    case = case_for_request(request, reference, codename=permissions.CONTRIBUTE)
    link = people_selectors.case_person_link_get(case=case, link_id=link_id)
    error = None
    if request.method == "POST":
        try:
            people_services.case_person_remove(actor=Actor.from_request(request), link=link)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"Removed {link.person} ({link.get_role_display().lower()}) from this case.")
            return redirect("case_people", case.reference)
    return render(request, "casework/people/case_person_remove.html",
                  case_page_context(request, case, "case_people", link=link, error=error))


ROLE_TOTALS = [
    (CasePerson.Role.VICTIM, "Victim", "Repeat victim"),
    (CasePerson.Role.PERPETRATOR, "Perpetrator", "Persistent perpetrator"),
]


ROLE_LABELS = dict(CasePerson.Role.choices)
CASE_STATUS_LABELS = dict(Case.Status.choices)


def _person_case_table(rows) -> list[dict]:
    """The rows of the person's cases table: the selector's values with each case's link, labels and opening date,
    made here (config.table_cells: a repeat victim is on a hundred cases)."""
    case_link = link_maker("case_detail")
    rows = list(rows)
    for row in rows:
        row["url"] = case_link(row["case__reference"])
        row["role_label"] = ROLE_LABELS.get(row["role"], row["role"])
        row["status_label"] = CASE_STATUS_LABELS.get(row["case__status"], row["case__status"])
        row["opened_text"] = short_date(row["case__opened_on"])
    return rows


def person_detail(request, person_id):
    person = person_for_request(request, person_id, with_may_edit=True)
    links = _person_case_table(people_selectors.person_case_rows(person=person, user=request.user, agency=request.agency))
    counts = people_selectors.person_role_counts((link["role"], link["case_id"]) for link in links)
    totals = [
        {"label": label, "count": counts[role], "repeat": counts[role] >= 2, "repeat_label": repeat}
        for role, label, repeat in ROLE_TOTALS if counts.get(role)
    ]
    people_services.person_view_record(actor=Actor.from_request(request), person=person, what="Person page")
    return render(request, "casework/people/person_detail.html", {
        "person": person,
        "links": links,
        "totals": totals,
        "can_edit": person.may_edit,
    })


def person_edit(request, person_id):
    person = person_for_request(request, person_id, codename=permissions.CONTRIBUTE)
    actor = Actor.from_request(request)
    conflict = None
    if request.method == "POST":
        form = PersonEditForm(request.POST)
        if form.is_valid():
            try:
                person = people_services.person_update(
                    actor=actor, person=person, expected_version=form.cleaned_data["version"], **form.person_details()
                )
            except people_services.PersonVersionConflict as stale:
                # Keep what the user typed; the next save is based on the version they have now been shown.
                form, changes = form.rebased(changes=stale.changes, version=stale.person.version, labels=FIELD_LABELS)
                conflict = {"message": str(stale), "changes": changes}
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Saved the details of {person}.")
                return redirect("person_detail", person.pk)
    else:
        form = PersonEditForm(initial={**PersonForm.initial_from(person), "version": person.version})
        people_services.person_view_record(actor=actor, person=person, what="Edit form")
    return render(request, "casework/people/person_edit.html", {"person": person, "form": form, "conflict": conflict})


def household_create(request, person_id):
    """Start a household with this person as its first member."""
    person = person_for_request(request, person_id, codename=permissions.CONTRIBUTE)
    form = HouseholdForm(request.POST or None, initial={
        "name": f"The {person.last_name} household", "address": person.address, "postcode": person.postcode,
    })
    if request.method == "POST" and form.is_valid():
        try:
            household = people_services.household_create(actor=Actor.from_request(request), members=[person], **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Created {household} with {person} in it.")
            return redirect("household_detail", household.pk)
    return render(request, "casework/people/household_create.html", {"person": person, "form": form})


def household_detail(request, household_id):
    household = household_for_request(request, household_id)
    members, others = people_selectors.household_members(household=household, user=request.user, agency=request.agency)
    choices = people_selectors.household_member_choices(household=household, user=request.user, agency=request.agency)
    audit_record(
        actor=Actor.from_request(request), action=AuditEvent.Action.VIEW, obj=household,
        detail=f"Household page (person ids: {', '.join(str(m.pk) for m in members) or 'none'})",
    )
    return render(request, "casework/people/household_detail.html", {
        "household": household, "members": members, "others": others,
        "add_form": HouseholdMemberAddForm(choices=choices), "can_add": choices.exists(),
    })


@require_POST
def household_member_add(request, household_id):
    household = household_for_request(request, household_id)
    choices = people_selectors.household_member_choices(household=household, user=request.user, agency=request.agency)
    form = HouseholdMemberAddForm(request.POST, choices=choices)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            people_services.household_member_add(actor=Actor.from_request(request), household=household, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Added {person} to {household}.")
        return redirect("household_detail", household.pk)
    members, others = people_selectors.household_members(household=household, user=request.user, agency=request.agency)
    return render(request, "casework/people/household_detail.html",
                  {"household": household, "members": members, "others": others, "add_form": form, "can_add": True},
                  status=400)


@require_POST
def household_member_remove(request, household_id, person_id):
    household = household_for_request(request, household_id)
    person = person_for_request(request, person_id, codename=permissions.CONTRIBUTE)
    if person.household_id != household.pk:
        raise Http404("Not a member of this household")
    people_services.household_member_remove(actor=Actor.from_request(request), household=household, person=person)
    messages.success(request, f"Removed {person} from {household}.")
    if people_selectors.household_members(household=household, user=request.user, agency=request.agency)[0]:
        return redirect("household_detail", household.pk)
    return redirect("person_detail", person.pk)
