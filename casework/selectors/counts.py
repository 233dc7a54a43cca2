"""Several counts and short id lists in one round trip to the database."""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def read_together(**specs) -> dict:
    """{name: result} for each spec given, all read in one query of scalar subqueries.

    A spec is
    - a queryset: its exact count;
    - a (queryset, limit) pair: its count up to limit + 1, so that "more than limit" can be told without reading
      every match;
    - ("value", queryset): the single value the queryset selects, as it is (None when there is no row);
    - ("ids", queryset, limit): the primary keys of its first `limit` rows, in the queryset's order (an ARRAY of an
      ordered subquery keeps that order; a database without arrays, SQLite, reads these apart)."""
    if not specs:
        return {}
    apart = {
        name: list(spec[1].values_list("pk", flat=True)[: spec[2]])
        for name, spec in specs.items()
        if _kind(spec) == "ids" and not ids_read_together(spec[1].db)
    }
    together = {name: spec for name, spec in specs.items() if name not in apart}
    read = run_together(*together_sql(**together)) if together else {}
    return {name: apart[name] if name in apart else read[name] for name in specs}


def ids_read_together(alias: str) -> bool:
    """Whether "ids" specs are read in the one query on this database (an ARRAY of an ordered subquery: PostgreSQL)."""
    return connections[alias].vendor == "postgresql"


def together_sql(**specs) -> tuple[str, str, list]:
    """(database alias, sql, params) of the one query that reads these specs (as read_together's, but every one in
    the query: "ids" need PostgreSQL's arrays), each column named after its spec, for run_together."""
    selects, params, db = [], [], None
    for position, (name, spec) in enumerate(specs.items()):
        kind = _kind(spec)
        try:
            if kind == "value":
                sql, spec_params = spec[1].query.sql_with_params()
                select = f"({sql})"
                db = db or spec[1].db
            elif kind == "ids":
                _, queryset, limit = spec
                sql, spec_params = queryset.values("pk")[:limit].query.sql_with_params()
                select = f"ARRAY({sql})"
                db = db or queryset.db
            else:
                queryset, limit = spec if isinstance(spec, tuple) else (spec, None)
                rows = queryset.values("pk").order_by() if limit is None else queryset.values("pk")[: limit + 1]
                sql, spec_params = rows.query.sql_with_params()
                select = f"(SELECT COUNT(*) FROM ({sql}) AS counted_{position})"
                db = db or queryset.db
        except EmptyResultSet:  # a queryset that can match nothing (.none())
            select, spec_params = {"value": "NULL", "ids": "ARRAY[]::integer[]"}.get(kind, "0"), ()
        selects.append((select, name))
        params.extend(spec_params)
    db = db or "default"
    quote = connections[db].ops.quote_name
    return db, "SELECT " + ", ".join(f"{select} AS {quote(name)}" for select, name in selects), params


def run_together(alias: str, sql: str, params) -> dict:
    """{column name: value} of the one row that together_sql's query gives."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return {column[0]: value for column, value in zip(cursor.description, row)}


def _kind(spec) -> str:
    return spec[0] if isinstance(spec, tuple) and isinstance(spec[0], str) else "count"
