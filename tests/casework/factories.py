from datetime import date

from audit.services import Actor
from casework.models import AsbKind, AsbCategory
from casework.services.cases import case_open


def make_case(*, partnership, lead_agency, summary="Noise from the flat above", opened_on=None, kind_slug="neighbour-noise", **fields):
    kind = AsbKind.objects.get(slug=kind_slug) if kind_slug else None
    fields.setdefault("category", kind.category if kind else AsbCategory.NUISANCE)
    return case_open(
        actor=Actor.system(),
        partnership=partnership,
        lead_agency=lead_agency,
        summary=summary,
        opened_on=opened_on or date(2026, 3, 2),
        kind=kind,
        **fields,
    )
