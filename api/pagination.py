"""Keyset ("cursor") pagination: a page is `WHERE (sort columns) after (the last row's) LIMIT n`,
so page 1,000 costs what page 1 costs. The cursor is signed: a client cannot forge values."""

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

SALT = "api.cursor"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def after(ordering: list[str], values: list) -> Q:
    """Rows that come after `values` in `ordering` (fields never null; the last one unique)."""
    condition = Q()
    for index in reversed(range(len(ordering))):
        name = ordering[index].lstrip("-")
        beyond = Q(**{f"{name}__lt" if ordering[index].startswith("-") else f"{name}__gt": values[index]})
        equal = Q(**{ordering[prefix].lstrip("-"): values[prefix] for prefix in range(index)})
        condition = (equal & beyond) | condition if index < len(ordering) - 1 else equal & beyond
    return condition


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.ordering = view.ordering_for(request)
        self.page_size = self.get_page_size(request)
        self.request = request
        queryset = queryset.order_by(*self.ordering)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            values = self.decode(cursor)
            try:
                queryset = queryset.filter(after(self.ordering, values))
            except (DjangoValidationError, ValueError, TypeError):
                raise serializers.ValidationError({"cursor": [_("Invalid cursor.")]}) from None
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last = rows[-1] if rows else None
        return rows

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise serializers.ValidationError(
                {self.page_size_query_param: [_("Give a number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]})
        return int(raw)

    def decode(self, cursor: str) -> list:
        try:
            ordering, values = signing.loads(cursor, salt=SALT)
        except (signing.BadSignature, ValueError, TypeError):
            raise serializers.ValidationError({"cursor": [_("Invalid cursor.")]}) from None
        if ordering != self.ordering or len(values) != len(self.ordering):
            raise serializers.ValidationError(
                {"cursor": [_("This cursor belongs to another sort order: start again without it.")]})
        return values

    def encode(self, row) -> str:
        values = []
        for name in self.ordering:
            value = row
            for part in name.lstrip("-").split("__"):
                value = getattr(value, "pk" if part == "pk" else part)
            values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
        return signing.dumps([self.ordering, values], salt=SALT, compress=True)

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode(self.last))

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True,
                         "description": "The next page's address, or null on the last page."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "The page after the one whose `next` gave this value.", "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        ]
