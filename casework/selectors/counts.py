"""Several counts in one round trip to the database, each exact or bounded."""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def counts_together(**specs) -> dict[str, int | None]:
    """{name: count} for each queryset given, in one query.

    A spec is a queryset (counted exactly), a (queryset, limit) pair (counted up to limit + 1, so that "more than
    limit" can be told without reading every match), or ("value", queryset) for a single value read as it is (None
    when there is no row)."""
    if not specs:
        return {}
    selects, params, db = [], [], None
    for position, (name, spec) in enumerate(specs.items()):
        try:
            if isinstance(spec, tuple) and spec[0] == "value":
                sql, spec_params = spec[1].query.sql_with_params()
                selects.append(f"({sql})")
                db = db or spec[1].db
            else:
                queryset, limit = spec if isinstance(spec, tuple) else (spec, None)
                rows = queryset.values("pk").order_by() if limit is None else queryset.values("pk")[: limit + 1]
                sql, spec_params = rows.query.sql_with_params()
                selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{position})")
                db = db or queryset.db
        except EmptyResultSet:  # a queryset that can match nothing (.none())
            selects.append("NULL" if isinstance(spec, tuple) and spec[0] == "value" else "0")
            continue
        params.extend(spec_params)
    with connections[db or "default"].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        return dict(zip(specs, cursor.fetchone()))
