"""Items for publicity must not be protectively marked (the task-group template says so under "Any items for publicity").

OFFICIAL itself is the baseline of the Government Security Classifications and may be published; OFFICIAL-SENSITIVE
and the older markings (RESTRICTED, CONFIDENTIAL, SECRET, PROTECT) may not. Whole words, any case.
"""

import re

PROTECTIVE_MARKINGS = (
    ("OFFICIAL-SENSITIVE", r"OFFICIAL[\s_-]*SENSITIVE"),
    ("RESTRICTED", r"RESTRICTED"),
    ("CONFIDENTIAL", r"CONFIDENTIAL"),
    ("SECRET", r"SECRET"),
    ("PROTECT", r"PROTECT"),
)
_PATTERNS = [(name, re.compile(rf"(?<![A-Za-z]){pattern}(?![A-Za-z])", re.IGNORECASE)) for name, pattern in PROTECTIVE_MARKINGS]


def protective_markings_in(text: str) -> list[str]:
    """The protective markings named in `text`, in the order of PROTECTIVE_MARKINGS."""
    return [name for name, pattern in _PATTERNS if pattern.search(text or "")]


def publicity_marking_error(text: str) -> str | None:
    """Why this text may not go out for publicity, or None if it may."""
    found = protective_markings_in(text)
    if not found:
        return None
    named = " and ".join(f"“{name}”" for name in found)
    return (
        f"Items for publicity must not be protectively marked, and this text contains the marking {named}. "
        "Take out the marked material (and the marking) or leave this section empty."
    )
