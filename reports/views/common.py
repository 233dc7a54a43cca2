from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from reports.quarters import Quarter


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role may not do this.")


def quarter_from_path(year: int, number: int) -> Quarter:
    try:
        return Quarter(year, number)
    except ValueError:
        raise Http404("No such quarter.") from None


def errors_onto_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
