"""Keyset pages for the API's long lists (cases): core.pagination, as on the pages, so that a page costs the
same however deep it is and the list is never counted. A page links to the next and previous by a cursor;
a cursor the list did not give is refused with a 400, not read as the first page."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.pagination import CURSOR_PARAM, InvalidCursor, keyset_page


class KeysetPagination(BasePagination):
    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            self.page = keyset_page(
                queryset, request.query_params.get(CURSOR_PARAM), per_page=self.page_size, strict=True
            )
        except InvalidCursor:
            raise ValidationError(
                {CURSOR_PARAM: ["Not a cursor from this list: follow the next and previous links."]}
            ) from None
        return self.page.object_list

    def _link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, CURSOR_PARAM, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the cursor of a next or previous link; none for the "
                "first page.",
                "schema": {"type": "string"},
            }
        ]
