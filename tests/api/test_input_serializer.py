"""InputSerializer reuses its fields within a thread: validation must answer exactly as DRF's own."""

import copy
import threading
from typing import Any

from django.utils import translation
from rest_framework import serializers

from api.input_serializer import InputSerializer
from api.tickets import PlaceOrderSerializer

# The reservation's own fields, once reused (as served) and once copied per instance (as DRF does).
Reused = PlaceOrderSerializer
Copied = type(
    "Copied",
    (serializers.Serializer,),
    {name: copy.deepcopy(field) for name, field in PlaceOrderSerializer._declared_fields.items()},
)

BUYER = {"name": "Anna", "email": "anna@example.dk", "is_resident": True, "country": "DK"}
GOOD = {
    "event": "koncert",
    "items": [{"ticket_type": 1, "quantity": 2}, {"ticket_type": 3, "quantity": 1}],
    "buyer": BUYER,
}
BAD = {
    "event": "not a slug",
    "items": [{"ticket_type": 0, "quantity": 1}, {"ticket_type": 2, "quantity": 101}],
    "buyer": {"name": "A" * 201, "email": "anna", "language": "fi", "country": "FI"},
}
SHAPES: list[Any] = [
    GOOD,
    BAD,
    {},
    {"items": []},
    {"items": "x", "buyer": None},
    [],
    "text",
    {**GOOD, "items": [GOOD] * 21},
    {**GOOD, "buyer": {**BUYER, "postcode": "", "newsletter_opt_in": "yes"}},
]


def _outcome(serializer_class: type[serializers.Serializer[Any]], data: Any) -> tuple[bool, Any, Any]:
    serializer = serializer_class(data=data)
    valid = serializer.is_valid()
    return valid, (serializer.validated_data if valid else None), serializer.errors


def test_the_same_answers_as_a_plain_serializer_in_any_order() -> None:
    # Each shape twice and in turns: an earlier input (valid or not) leaves nothing behind.
    for data in SHAPES + SHAPES[::-1]:
        assert _outcome(Reused, data) == _outcome(Copied, data), data


def test_errors_are_in_the_language_active_when_validating() -> None:
    with translation.override("en"):
        _outcome(Reused, GOOD)  # fields built while English is active
    with translation.override("da"):
        errors = _outcome(Reused, BAD)[2]
    assert str(errors["buyer"]["email"][0]) == "Angiv en gyldig e-mailadresse."


def test_a_length_error_is_in_the_language_active_when_validating_after_another_language() -> None:
    # DRF renders a length limit's message once and keeps it on the field's validator
    too_long = {**GOOD, "buyer": {**BUYER, "name": "A" * 201}}
    with translation.override("en"):
        english = str(_outcome(Reused, too_long)[2]["buyer"]["name"][0])
    with translation.override("da"):
        danish = str(_outcome(Reused, too_long)[2]["buyer"]["name"][0])
        as_drf_says = str(_outcome(Copied, too_long)[2]["buyer"]["name"][0])

    assert english == "Ensure this field has no more than 200 characters."
    assert danish == as_drf_says != english


def test_each_instance_gets_the_fields_bound_to_itself() -> None:
    assert issubclass(Reused, InputSerializer) and not issubclass(Copied, InputSerializer)
    first, second = Reused(data=GOOD), Reused(data=GOOD)
    assert first.fields["buyer"] is second.fields["buyer"]  # built once in this thread
    assert all(field.parent is second and field.root is second for field in second.fields.values())
    items = second.fields["items"]
    assert isinstance(items, serializers.ListSerializer) and items.child is not None
    assert items.child.root is second


def test_threads_validating_at_once_get_their_own_answers() -> None:
    built: dict[int, Any] = {}  # the objects themselves: ids of freed ones could repeat
    failures: list[str] = []
    start = threading.Barrier(8)

    def validate(worker: int) -> None:
        start.wait()
        for round_ in range(200):
            email = f"buyer{worker}.{round_}@example.dk"
            data = {
                **GOOD,
                "buyer": {**BUYER, "name": f"B{worker}", "email": email},
                "items": [{"ticket_type": worker + 1, "quantity": 1}],
            }
            bad = round_ % 3 == 0
            serializer = Reused(data=BAD if bad else data)
            valid = serializer.is_valid()
            if bad:
                expected_answer = not valid and set(serializer.errors) == {"event", "items", "buyer"}
            else:
                answer = serializer.validated_data if valid else {}
                expected_answer = answer.get("buyer", {}).get("email") == email and answer["items"] == [
                    {"ticket_type": worker + 1, "quantity": 1}
                ]
            if not expected_answer:
                failures.append(f"{worker}/{round_}: {serializer.errors or serializer.validated_data}")
        built[worker] = Reused(data=GOOD).fields["buyer"]

    threads = [threading.Thread(target=validate, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len({id(field) for field in built.values()}) == 8  # one set of fields per thread
