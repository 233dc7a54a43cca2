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
    selects, params, db, apart = [], [], None, {}
    for position, (name, spec) in enumerate(specs.items()):
        kind = spec[0] if isinstance(spec, tuple) and isinstance(spec[0], str) else "count"
        if kind == "ids" and connections[spec[1].db].vendor != "postgresql":
            apart[name] = list(spec[1].values_list("pk", flat=True)[: spec[2]])
            continue
        try:
            if kind == "value":
                sql, spec_params = spec[1].query.sql_with_params()
                selects.append(f"({sql})")
                db = db or spec[1].db
            elif kind == "ids":
                _, queryset, limit = spec
                sql, spec_params = queryset.values("pk")[:limit].query.sql_with_params()
                selects.append(f"ARRAY({sql})")
                db = db or queryset.db
            else:
                queryset, limit = spec if isinstance(spec, tuple) else (spec, None)
                rows = queryset.values("pk").order_by() if limit is None else queryset.values("pk")[: limit + 1]
                sql, spec_params = rows.query.sql_with_params()
                selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{position})")
                db = db or queryset.db
        except EmptyResultSet:  # a queryset that can match nothing (.none())
            selects.append({"value": "NULL", "ids": "ARRAY[]::integer[]"}.get(kind, "0"))
            continue
        params.extend(spec_params)
    together = [name for name in specs if name not in apart]
    if not together:
        return apart
    with connections[db or "default"].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        read = dict(zip(together, cursor.fetchone()))
    return {name: apart[name] if name in apart else read[name] for name in specs}
