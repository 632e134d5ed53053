"""The answers the schema documents besides the 200s, so that clients (and schemathesis) know every status
an operation may give."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

_Problem = inline_serializer("Problem", fields={"detail": serializers.CharField()})

NOT_SIGNED_IN = OpenApiResponse(_Problem, description="No credentials, or a token that is not valid.")
REFUSED = OpenApiResponse(_Problem, description="Signed in, but this is not open to you.")
NOT_FOUND = OpenApiResponse(
    _Problem, description="No such object, or not one you may see: the two are not told apart."
)
NO_SUCH_PAGE = OpenApiResponse(_Problem, description="No such page of the list.")
BAD_FILTER = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A filter's value does not fit; the message names the filter.",
)


def list_responses(serializer, *, refused=False):
    responses = {200: serializer, 400: BAD_FILTER, 401: NOT_SIGNED_IN, 404: NO_SUCH_PAGE}
    if refused:
        responses[403] = REFUSED
    return responses


def detail_responses(serializer, *, refused=False):
    responses = {200: serializer, 401: NOT_SIGNED_IN, 404: NOT_FOUND}
    if refused:
        responses[403] = REFUSED
    return responses


def allow_empty_query_values(result, generator, request, public):
    """drf-spectacular post-processing: say that every query parameter may be sent empty.

    An empty filter means "no filter" (and an empty page the first page), as on the pages' filter forms;
    the schema says so, so that clients and schemathesis do not take it for a value that is refused.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
