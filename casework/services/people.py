"""People on cases: creating and changing person records, linking them to cases, and households."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record, diff
from casework.models import Case, CasePerson, Household, Person
from casework.postcodes import postcode_is_valid, postcode_normalise

# Fields a caseworker edits on a person; the household changes only through the household services.
PERSON_FIELDS = (
    "first_name", "last_name", "aliases", "date_of_birth", "gender", "address", "postcode", "phone", "email",
    "vulnerability_notes",
)
_TEXT_FIELDS = {"first_name", "last_name", "aliases", "address", "postcode", "phone", "email", "vulnerability_notes"}
EARLIEST_DATE_OF_BIRTH = date(1900, 1, 1)


class PersonVersionConflict(Exception):
    """The person changed since the user loaded them. `changes` says what the other save changed."""

    def __init__(self, person: Person, changes: dict):
        self.person = person
        self.changes = changes
        super().__init__(f"{person} was changed by someone else while you were editing their details.")


def person_fields_clean(*, partial: bool = False, **fields) -> dict:
    """Tidy and check a person's details before anything is searched or saved: trimmed text, one spelling of the
    postcode, a date of birth in the past. Raises ValidationError with a message per field."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Not a person's detail: {', '.join(sorted(unknown))}")
    cleaned = {name: (value or "").strip() if name in _TEXT_FIELDS else value for name, value in fields.items()}
    errors: dict[str, str] = {}
    for name, label in (("first_name", "first name"), ("last_name", "last name")):
        if (not partial or name in cleaned) and not cleaned.get(name):
            errors[name] = f"Enter the person's {label}."
    if cleaned.get("postcode"):
        if postcode_is_valid(cleaned["postcode"]):
            cleaned["postcode"] = postcode_normalise(cleaned["postcode"])
        else:
            errors["postcode"] = "Enter a real postcode, for example CB7 4AB."
    dob = cleaned.get("date_of_birth")
    if dob is not None:
        if dob > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be today or in the past."
        elif dob < EARLIEST_DATE_OF_BIRTH:
            errors["date_of_birth"] = "Date of birth must be after 1 January 1900."
    if "gender" in cleaned and not cleaned["gender"]:
        cleaned["gender"] = Person.Gender.NOT_KNOWN
    if cleaned.get("gender") and cleaned["gender"] not in Person.Gender.values:
        errors["gender"] = "Choose the person's gender, or 'Not known'."
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = "Enter an email address like name@example.org."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _snapshot(person: Person) -> dict:
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def _refuse_if_closed(case: Case) -> None:
    if case.is_closed:
        raise ValidationError("This case is closed, so the people on it can no longer be changed.")


@transaction.atomic
def person_create(*, actor: Actor, case: Case | None = None, **fields) -> Person:
    """A new person record. Prefer case_person_add, which offers no duplicates itself but links the new record."""
    cleaned = person_fields_clean(**fields)
    person = Person(created_by=actor.user if actor.user and actor.user.is_authenticated else None, **cleaned)
    person.full_clean()
    person.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=person, person_id=person.pk, case_id=case.pk if case else None,
        changes=diff({}, _snapshot(person)),
    )
    return person


@transaction.atomic
def case_person_add(*, actor: Actor, case: Case, role: str, person: Person | None = None, notes: str = "", **person_fields) -> CasePerson:
    """Put a person on a case in a role: an existing record (`person`), or a new one made from `person_fields`.
    The caller has already offered possible duplicates and the caseworker has chosen."""
    _refuse_if_closed(case)
    if role not in CasePerson.Role.values:
        raise ValidationError({"role": "Choose the person's role on the case."})
    if person is not None and person_fields:
        raise TypeError("Give an existing person or the details of a new one, not both.")
    if person is None:
        person = person_create(actor=actor, case=case, **person_fields)
    link = CasePerson(case=case, person=person, role=role, notes=(notes or "").strip(),
                      added_by=actor.user if actor.user and actor.user.is_authenticated else None)
    already = f"{person} is already on this case as {CasePerson.Role(role).label.lower()}."
    try:
        link.full_clean()
        with transaction.atomic():
            link.save()
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):
            raise ValidationError({"role": already}) from None
        raise
    except IntegrityError:
        raise ValidationError({"role": already}) from None
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=link, case_id=case.pk, person_id=person.pk,
        changes={"role": [None, role]}, detail=f"{person} added to {case.reference} as {link.get_role_display()}",
    )
    return link


@transaction.atomic
def case_person_remove(*, actor: Actor, link: CasePerson) -> None:
    """Take a person off a case. Their record stays: it may be on other cases, and the audit trail names it."""
    case = link.case
    _refuse_if_closed(case)
    person = link.person
    audit_record(
        actor=actor, action=AuditEvent.Action.DELETE, obj=link, case_id=case.pk, person_id=person.pk,
        changes={"role": [link.role, None]}, detail=f"{person} ({link.get_role_display()}) removed from {case.reference}",
    )
    link.delete()


def _changes_since(person: Person, version: int) -> dict:
    """{field: [value at `version`, value now]} from the audit trail of the saves made since `version`."""
    merged: dict = {}
    events = AuditEvent.objects.filter(person_id=person.pk, object_type="person", action=AuditEvent.Action.UPDATE)
    for event in events.order_by("id").only("changes"):
        from_version = (event.changes.get("version") or [None])[0]
        if from_version is None or from_version < version:
            continue
        for field, (old, new) in event.changes.items():
            if field != "version":
                merged[field] = [merged.get(field, [old])[0], new]
    return {field: values for field, values in merged.items() if values[0] != values[1]}


@transaction.atomic
def person_update(*, actor: Actor, person: Person, expected_version: int, **changes) -> Person:
    """Change a person's details. Refused with PersonVersionConflict if someone saved since `expected_version`."""
    cleaned = person_fields_clean(partial=True, **changes)
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version:
        raise PersonVersionConflict(current, _changes_since(current, expected_version))
    before = _snapshot(current)
    for name, value in cleaned.items():
        setattr(current, name, value)
    current.full_clean()
    changed = diff(before, _snapshot(current))
    if not changed:
        return current
    changed["version"] = [current.version, current.version + 1]
    current.version += 1
    current.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, person_id=current.pk, changes=changed)
    return current


def person_view_record(*, actor: Actor, person: Person, what: str = "") -> None:
    """Every view of a person goes into the audit trail."""
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=person, person_id=person.pk, detail=what)


def person_offers_record(*, actor: Actor, offered: list[dict], case: Case | None = None) -> None:
    """Showing possible duplicates is a view of each of those people, limited or not: record each."""
    for shown in offered:
        audit_record(
            actor=actor, action=AuditEvent.Action.SEARCH, object_type="person", object_id=shown["id"],
            object_repr=shown["name"], person_id=shown["id"], case_id=case.pk if case else None,
            detail="Offered as a possible duplicate " + ("in full" if shown["disclosed"] else "with limited details"),
        )


@transaction.atomic
def household_create(*, actor: Actor, name: str, address: str = "", postcode: str = "", members=()) -> Household:
    """A household, with its first members (who leave any household they were in)."""
    name, address, postcode = (name or "").strip(), (address or "").strip(), (postcode or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Enter a name for the household, for example: the Reeve household, 14 Station Road."
    if postcode:
        if postcode_is_valid(postcode):
            postcode = postcode_normalise(postcode)
        else:
            errors["postcode"] = "Enter a real postcode, for example CB7 4AB."
    if errors:
        raise ValidationError(errors)
    household = Household(name=name, address=address, postcode=postcode)
    household.full_clean()
    household.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=household,
                 changes=diff({}, {"name": name, "address": address, "postcode": postcode}))
    for person in members:
        household_member_add(actor=actor, household=household, person=person)
    return household


@transaction.atomic
def household_member_add(*, actor: Actor, household: Household, person: Person) -> Person:
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.household_id == household.pk:
        raise ValidationError({"person": f"{current} is already in {household}."})
    before = str(current.household) if current.household else None
    current.household = household
    current.save(update_fields=["household"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, person_id=current.pk,
                 changes={"household": [before, str(household)]}, detail=f"Joined {household}")
    return current


@transaction.atomic
def household_member_remove(*, actor: Actor, household: Household, person: Person) -> Person:
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.household_id != household.pk:
        raise ValidationError({"person": f"{current} is not in {household}."})
    current.household = None
    current.save(update_fields=["household"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=current, person_id=current.pk,
                 changes={"household": [str(household), None]}, detail=f"Left {household}")
    return current
