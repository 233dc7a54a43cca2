from datetime import date

from audit.services import Actor
from casework.models import CasePerson, Person
from casework.services.people import case_person_add


def person_details(**overrides) -> dict:
    details = {
        "first_name": "Doreen", "last_name": "Whitmore", "date_of_birth": date(1947, 2, 11), "gender": "female",
        "address": "Flat 3, Cromwell Court, Silver Street, Ely", "postcode": "CB7 4AB", "phone": "01353 660 418",
        "email": "", "aliases": "", "vulnerability_notes": "Lives alone; partially sighted.",
    }
    details.update(overrides)
    return details


def put_on_case(*, case, role=CasePerson.Role.VICTIM, person: Person | None = None, actor=None, **overrides) -> CasePerson:
    """Link `person` to the case, or a new person made from person_details(**overrides)."""
    actor = actor or Actor.system()
    if person is not None:
        return case_person_add(actor=actor, case=case, role=role, person=person)
    return case_person_add(actor=actor, case=case, role=role, **person_details(**overrides))
