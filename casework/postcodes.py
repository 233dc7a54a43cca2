"""UK postcodes: one spelling for storage and comparison, and the district that may be shown more widely."""

import re

# The shapes of a UK postcode once upper-cased and spaced (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA).
POSTCODE_PATTERN = re.compile(r"^(GIR 0AA|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2})$")


def postcode_normalise(value: str) -> str:
    """'cb74ab ' -> 'CB7 4AB'. Anything too short to split is returned upper-cased, for the validator to refuse."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_compact(value: str) -> str:
    """The postcode without spaces, upper-cased: how two spellings are compared."""
    return re.sub(r"\s+", "", value or "").upper()


def postcode_is_valid(value: str) -> bool:
    return bool(POSTCODE_PATTERN.match(postcode_normalise(value)))


def postcode_district(value: str) -> str:
    """The outward code ('CB7' from 'CB7 4AB'): an area of several thousand addresses, not a street."""
    normalised = postcode_normalise(value)
    return normalised.split(" ")[0] if " " in normalised else ""
