"""The reads that every signed-in request makes (its session, its user or an API request's token with its user, its
memberships), by SQL written once per process instead of compiled by the ORM on every request.

Django builds and compiles a query afresh each time it runs. For these three small reads that cost more than the
database took to plan and run them: together about 0.8 ms of a trivial page's 1.8 ms of CPU (docs/performance.md,
ninth round). Each is written with the columns model_columns() lists, and its rows become models through
models_from_row(), as the ORM makes them: the database's converters, then Model.from_db(). Their tests hold each
read to what the ORM's own query gives.
"""

import functools
from typing import NamedTuple

from django.db import connections


class ModelColumns(NamedTuple):
    select: str  # '"table"."column", …': every concrete column of each model, in the models' field order
    slices: tuple  # (model, first column, after its last) for each model: from_db() takes its columns in that order
    converters: tuple  # (column index, the database's converters for it, the column's expression)


@functools.cache
def model_columns(alias: str, models: tuple) -> ModelColumns:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [(model, field) for model in models for field in model._meta.concrete_fields]
    slices, start = [], 0
    for model in models:
        slices.append((model, start, start + len(model._meta.concrete_fields)))
        start = slices[-1][2]
    converters = []
    for index, (model, field) in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, tuple(found), column))
    select = ", ".join(f"{quote(model._meta.db_table)}.{quote(field.column)}" for model, field in fields)
    return ModelColumns(select, tuple(slices), tuple(converters))


def models_from_row(alias: str, columns: ModelColumns, row) -> list:
    """One model of each of the columns' models, from a row that selected columns.select."""
    if columns.converters:  # SQLite's dates and times, say; psycopg2 gives PostgreSQL's as Python's types itself
        row = list(row)
        connection = connections[alias]
        for index, converters, column in columns.converters:
            for converter in converters:
                row[index] = converter(row[index], column, connection)
    return [model.from_db(alias, None, row[start:stop]) for model, start, stop in columns.slices]
