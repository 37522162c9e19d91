"""A serializer for input that builds its fields once per thread instead of once per request.

DRF deep-copies a serializer's declared fields for every instance, so that a view may change one
instance's fields without touching the others. The busiest inputs (a reservation, a scan) never
change their fields, and building them (with the nested serializers' fields) took about two thirds
of their validation. `InputSerializer` keeps one bound copy per class, thread and language and hands
it to each new instance. Only for validating input: nothing may change a field after it is built, and
validation keeps no state on the fields (DRF's own fields and serializers keep none).
"""

import threading
from typing import Any

from django.utils import translation
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

_built = threading.local()


class InputSerializer(serializers.Serializer[Any]):
    @cached_property
    def fields(self) -> BindingDict:
        # Per language too: a field renders some messages once and keeps them (DRF's length limits).
        by_class: dict[tuple[type, str | None], BindingDict] = _built.__dict__.setdefault("by_class", {})
        built_for = (type(self), translation.get_language())
        fields = by_class.get(built_for)
        if fields is None:
            fields = by_class[built_for] = BindingDict(self)
            for name, field in self.get_fields().items():
                fields[name] = field
        else:
            fields.serializer = self
            for field in fields.values():
                field.parent = self
        return fields
