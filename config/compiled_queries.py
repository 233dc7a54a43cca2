"""ORM queries compiled to SQL once per process and then run with each call's values.

Django builds a query and compiles it to SQL afresh every time it runs: on the case page, the dashboard and the
referrals inbox that took a quarter of the page's CPU, more than PostgreSQL took to plan and run the same queries
(docs/performance.md, tenth round). A query that runs on every such page keeps its shape from one request to the next;
only its values change (a case's reference, an agency's group, today's date). So:

    @compiled_query
    def _case_rows(related, *, reference, group_id):
        return Case.objects.filter(reference=reference, ...).select_related(*related)

    rows = _case_rows(("kind",), reference="EC-2026-0001", group_id=4)   # a list, as list(queryset) gives

The function builds the queryset from its arguments. Positional ones give its shape (anything hashable that changes
the SQL: which relations, which periods); each combination is compiled once. Keyword ones are its values (int, str,
date or datetime): the first call builds the queryset with a marker in place of each, compiles it, and notes where
each marker stands among the SQL's parameters; every call then runs that SQL with its own values in those places.
The rows become models, dicts or tuples, with select_related and prefetch_related, by the ORM's own code: only the
compiling is skipped. Whatever changes between calls must be a value: a build that read the clock (today's date)
would keep the first call's. A value the SQL does not take as a whole parameter (folded into a LIKE pattern, written into the
SQL's text) cannot be replaced safely, so compiling refuses it: such a query stays an ordinary queryset.

Django has no such cache of its own, and the library that offered one (django-prepared-queries) stopped at Django 1.11.
"""

import datetime
import functools
import threading
from typing import NamedTuple

from django.db import connections
from django.db.models.query import QuerySet

# Markers: values no caller passes, of each type, within the range of the fields they stand in for (Django answers
# an integer outside a field's range without asking the database, which would lose the marker).
_INT_MARKER_BASE = 2_147_480_000
_DATE_MARKER_BASE = datetime.date(1111, 1, 1)
_DATETIME_MARKER_BASE = datetime.datetime(1111, 1, 1, 11, 11, 11, tzinfo=datetime.timezone.utc)
_VALUE_TYPES = (int, str, datetime.datetime, datetime.date)
# The id of an object a build stands in with, whose id the query does not take (a user whose cases are found by their
# agency's group alone): compiling refuses a query that takes it after all.
NOT_USED_ID = _INT_MARKER_BASE - 1


class CompilingRefused(Exception):
    """The query's SQL does not take a value as a whole parameter, so its compiled form could not be reused."""


class _Compiled(NamedTuple):
    alias: str
    template: QuerySet  # the queryset built with the markers: its model, iterable, prefetches and field names
    state: dict  # the compiler's attributes after compiling: what the ORM reads to turn rows into results
    compiler_class: type
    sql: str
    params: tuple
    slots: tuple  # (position among params, value's name, adapter of the value to the parameter the SQL takes)


def _value_type(name, value) -> type:
    for kind in _VALUE_TYPES:
        if isinstance(value, kind) and not isinstance(value, bool):
            return datetime.datetime if isinstance(value, datetime.datetime) else kind
    raise TypeError(f"compiled_query: {name}={value!r} is not an int, str, date or datetime; pass it as part of the shape")


def _marker(kind: type, index: int):
    if kind is int:
        return _INT_MARKER_BASE + index
    if kind is str:
        return f"\u2063compiled-query-value-{index}\u2063"
    if kind is datetime.datetime:
        return _DATETIME_MARKER_BASE + datetime.timedelta(days=index)
    return _DATE_MARKER_BASE + datetime.timedelta(days=index)


def _adapters(connection, kind: type):
    """How a value of this type may reach the SQL's parameters: as it is, or as the backend adapts a date or a time
    (SQLite takes them as text)."""
    yield lambda value: value
    if kind is datetime.datetime:
        yield connection.ops.adapt_datetimefield_value
    elif kind is datetime.date:
        yield connection.ops.adapt_datefield_value


@functools.cache
def _replay_class(compiler_class: type) -> type:
    """The compiler, answering with the SQL compiled already instead of compiling again."""

    def as_sql(self, *args, **kwargs):
        return self.replayed

    return type(f"Replayed{compiler_class.__name__}", (compiler_class,), {"as_sql": as_sql})


class _ReplayedQuery:
    """The template's query, whose compiler runs the compiled SQL with this call's parameters. Read-only: only the
    iterable that turns rows into results sees it, never a caller that could narrow it."""

    def __init__(self, compiled: _Compiled, params: list):
        self._compiled, self._params = compiled, params

    def __getattr__(self, name):
        return getattr(self._compiled.template.query, name)

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiled = self._compiled
        compiler = object.__new__(_replay_class(compiled.compiler_class))
        compiler.__dict__.update(compiled.state)
        compiler.connection = connections[compiled.alias]  # this thread's connection, not the compiling one's
        compiler.replayed = (compiled.sql, self._params)
        return compiler


# Shapes kept for each query: a shape can be a page of a list (its slice is written into the SQL), and someone paging
# through a police force's 3,000 pages should not keep 3,000 compiled queries; the oldest compiled goes first.
SHAPES_KEPT = 64


_keeping = threading.Lock()  # a threaded server's threads may compile at once


def _keep(compiled: dict, key, value):
    with _keeping:
        if len(compiled) >= SHAPES_KEPT:
            compiled.pop(next(iter(compiled)), None)
        compiled[key] = value
    return value


class CompiledQuery:
    def __init__(self, build):
        self.build = build
        self._compiled = {}
        functools.update_wrapper(self, build)

    def __call__(self, *shape, **values) -> list:
        types = tuple((name, _value_type(name, value)) for name, value in values.items())
        key = (shape, types)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = _keep(self._compiled, key, self._compile(shape, types))
        params = list(compiled.params)
        for position, name, adapt in compiled.slots:
            params[position] = adapt(values[name])
        template = compiled.template
        queryset = QuerySet(model=template.model, query=_ReplayedQuery(compiled, params), using=compiled.alias)
        queryset._iterable_class = template._iterable_class
        queryset._fields = template._fields
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        queryset._known_related_objects = template._known_related_objects
        return list(queryset)

    def _compile(self, shape, types) -> _Compiled:
        markers = _markers(types)
        template = self.build(*shape, **markers)
        if not isinstance(template, QuerySet):
            raise TypeError(f"{self.build.__qualname__} must return a QuerySet, not {type(template).__name__}")
        alias = template.db
        compiler = template.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except Exception as error:  # EmptyResultSet, FullResultSet: the markers decided the query, not the values
            raise CompilingRefused(f"{self.build.__qualname__}: the query did not compile with markers ({error!r})") from error
        slots = _slots(self.build, connections[alias], sql, params, markers, types)
        return _Compiled(alias, template, dict(compiler.__dict__), type(compiler), sql, tuple(params), slots)


class CompiledSQL:
    """The same for SQL put together from querysets by hand (casework.selectors.counts.read_together): build gives
    (database alias, sql, params) and calling gives them back with the call's values in place."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}
        functools.update_wrapper(self, build)

    def __call__(self, *shape, **values) -> tuple[str, str, list]:
        types = tuple((name, _value_type(name, value)) for name, value in values.items())
        key = (shape, types)
        compiled = self._compiled.get(key)
        if compiled is None:
            markers = _markers(types)
            alias, sql, params = self.build(*shape, **markers)
            compiled = _keep(self._compiled, key, (alias, sql, tuple(params), _slots(self.build, connections[alias], sql, params, markers, types)))
        alias, sql, params, slots = compiled
        params = list(params)
        for position, name, adapt in slots:
            params[position] = adapt(values[name])
        return alias, sql, params


def _markers(types) -> dict:
    return {name: _marker(kind, index) for index, (name, kind) in enumerate(types)}


def _slots(build, connection, sql: str, params, markers: dict, types) -> tuple:
    """Where each value's marker stands among the parameters, and how the value is adapted to stand there; refused
    unless every value stands as whole parameters and nowhere else."""
    slots, found = [], set()
    for position, param in enumerate(params):
        for name, kind in types:
            matched = next((adapt for adapt in _adapters(connection, kind) if _same(param, adapt(markers[name]))), None)
            if matched is not None:
                slots.append((position, name, matched))
                found.add(name)
                break
        else:
            if any(_holds(param, marker) for marker in markers.values()):
                raise CompilingRefused(f"{build.__qualname__}: a value is part of the parameter {param!r}")
    if any(_same(param, NOT_USED_ID) for param in params) or str(NOT_USED_ID) in sql:
        raise CompilingRefused(f"{build.__qualname__}: the query takes an id it was built without (NOT_USED_ID)")
    missing = [name for name, _ in types if name not in found]
    if missing:
        raise CompilingRefused(f"{build.__qualname__}: {', '.join(missing)} not among the SQL's parameters")
    if any(str(marker) in sql for marker in markers.values()):
        raise CompilingRefused(f"{build.__qualname__}: a value is written into the SQL's text")
    return tuple(slots)


def _same(param, marker) -> bool:
    return type(param) is type(marker) and param == marker


def _holds(param, marker) -> bool:
    return isinstance(param, str) and str(marker) in param


def compiled_query(build) -> CompiledQuery:
    """build(*shape, **values) -> QuerySet, compiled once per shape and process; calling it gives the rows as a list."""
    return CompiledQuery(build)


def compiled_sql(build) -> CompiledSQL:
    """build(*shape, **values) -> (alias, sql, params), built once per shape and process; calling it gives the three
    with the call's values in place."""
    return CompiledSQL(build)


__all__ = ["NOT_USED_ID", "CompiledQuery", "CompiledSQL", "CompilingRefused", "compiled_query", "compiled_sql"]
