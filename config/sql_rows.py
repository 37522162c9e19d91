"""Model instances from rows of written-out SQL, where building a statement with the ORM costs more than running it.

The instances are like the ORM's: fields not read are deferred. Used on the hot paths of a sale and
a scan, on PostgreSQL and SQLite alike.
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def aware(value: datetime | None) -> datetime | None:
    # PostgreSQL gives aware datetimes; SQLite stores UTC without an offset.
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


class ModelColumns(Generic[M]):
    """Some fields of a model as `alias.column` SQL, and the instance made from those values of a row."""

    def __init__(self, model: type[M], alias: str, *names: str) -> None:
        # Model.from_db takes the values in the model's field order.
        fields = [field for field in model._meta.concrete_fields if field.name in names]
        assert len(fields) == len(names), "not a field of the model"
        self.model, self.width = model, len(fields)
        self.attnames = [field.attname for field in fields]
        self.sql = ", ".join(f"{alias}.{field.column}" for field in fields)
        self.converters: list[Callable[[Any], Any] | None] = [
            aware
            if isinstance(field, models.DateTimeField)
            else _uuid
            if isinstance(field, models.UUIDField)
            else field.to_python  # SQLite gives numbers, not Decimals
            if isinstance(field, models.DecimalField)
            else None
            for field in fields
        ]

    def instance(self, row: Sequence[Any], start: int = 0) -> M:
        values = [
            value if convert is None or value is None else convert(value)
            for convert, value in zip(self.converters, row[start : start + self.width], strict=True)
        ]
        return self.model.from_db(connection.alias, self.attnames, values)
