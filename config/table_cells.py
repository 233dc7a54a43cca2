"""Cells of long tables, made in Python once per row instead of by template tags.

In a table of a hundred rows, the url tag (about 40 µs with reverse()) and the date filter (about 20 µs) cost more than
the rest of a row. The views that show such tables (the referrals inbox, a person's cases) make these cells here."""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

_MARK = "918273645"  # matches both an <int:> and a <str:> converter, and appears in no route's fixed text


def link_maker(viewname: str):
    """A function of one argument that gives reverse(viewname, args=[argument]), quoted as reverse() quotes it, from
    one reverse() per process (and script prefix and URL configuration). For views whose one argument is an id or a
    reference the system made."""
    return _link_maker(viewname, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=64)
def _link_maker(viewname: str, script_prefix: str, urlconf):
    head, mark, tail = reverse(viewname, args=[_MARK]).rpartition(_MARK)
    assert mark, f"{viewname} does not take its argument as given"
    return lambda argument: f"{head}{quote(str(argument), safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"


def short_date(value) -> str:
    """A date as the date filter's "j M Y" shows it in English (4 Dec 2026); empty for none."""
    return f"{value.day} {value:%b %Y}" if value else ""
