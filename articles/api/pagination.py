"""Keyset (cursor) pagination: the same cost on page 1 and page 50,000, and no COUNT(*) on any page."""

import base64
import binascii
import json
from datetime import datetime
from functools import partial

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"


def ordering_keys(names):
    """An ordering (`["-published_at", "-id"]`) as [(name, descending)], ending with the primary key so every row
    has one place."""
    keys = []
    for name in names:
        descending = name.startswith("-")
        field = name.lstrip("-")
        field = "id" if field == "pk" else field
        keys.append((field, descending))
        if field == "id":
            break
    if not keys or keys[-1][0] != "id":
        keys.append(("id", keys[0][1] if keys else True))
    if len({descending for _, descending in keys}) != 1:
        # A row comparison (a, b) < (x, y) only expresses a single direction for all keys.
        raise TypeError("keyset pagination needs every ordering key in the same direction")
    return keys


class KeysetPagination(BasePagination):
    """`?cursor=` and `?page_size=` (default 20, at most 100); `next`/`previous` links, newest first by default."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    query_params = (cursor_query_param, page_size_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        """DRF's hook: a page of a queryset, in its ordering."""
        return self.paginate(
            request, ordering_keys(queryset.query.order_by or queryset.model._meta.ordering),
            partial(page_of, queryset), queryset.model, numeric=set(queryset.query.annotations),
        )

    def paginate(self, request, keys, fetch, model, numeric=()):
        """The page's rows in the order of `keys` (ordering_keys), read by `fetch(keys, descending, after, limit)`;
        the cursor's values are `model`'s fields, or numbers for the names in `numeric` (a search rank)."""
        self.request, self.keys = request, keys
        self.signature = ",".join(("-" if desc else "") + name for name, desc in keys)
        page_size = self.get_page_size(request)
        backwards, after = self.decode_cursor(request, model, numeric)
        rows = list(fetch(keys, keys[0][1] != backwards, after, page_size + 1))
        self.page = rows[:page_size]
        if backwards:
            self.page.reverse()
            self.has_next, self.has_previous = True, len(rows) > page_size
        else:
            self.has_next, self.has_previous = len(rows) > page_size, after is not None
        return self.page

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."]})
        return int(raw)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self.link(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self.link(self.page[0], backwards=True)

    def link(self, row, backwards):
        values = [row[name] if isinstance(row, dict) else getattr(row, name) for name, _ in self.keys]
        token = encode_cursor(self.signature, values, backwards)
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, token)

    def decode_cursor(self, request, model, numeric):
        """(backwards, key values) of the cursor, (False, None) on the first page, or 400: a cursor is opaque, so any
        edit makes it invalid."""
        token = request.query_params.get(self.cursor_query_param)
        if not token:  # `?cursor=` is the first page, as the schema's plain string allows
            return False, None
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor; use the next/previous links as given."]})
        try:
            payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
            values = payload["v"]
            if payload["o"] != self.signature or not isinstance(values, list) or len(values) != len(self.keys):
                raise invalid
            keys = zip(self.keys, values, strict=True)
            return payload["b"] is True, [_decode_value(model, numeric, name, raw) for (name, _), raw in keys]
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, KeyError, DjangoValidationError):
            raise invalid from None

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link; any other value answers 400.",
                # The token's alphabet (unpadded URL-safe base64); which tokens are valid no schema can say.
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            },
        ]


def page_of(queryset, keys, descending, after, limit, per_status=True):
    """The first `limit` rows of `queryset` in the order of `keys`, after the row with the key values `after`.

    `per_status=False` skips ArticleQuerySet.head's reading per status, a loss where a filter (a category tree,
    a tag, a search) already rules out reading in index order.
    """
    queryset = queryset.order_by(*(("-" if descending else "") + name for name, _ in keys))
    if after is not None:
        row = Tuple(*(F(name) for name, _ in keys))
        queryset = queryset.filter((TupleLessThan if descending else TupleGreaterThan)(row, after))
    head = getattr(queryset, "head", None) if per_status else None  # articles: see ArticleQuerySet.head
    return head(limit) if head else queryset[:limit]


def encode_cursor(signature, values, backwards=False):
    """The opaque token for a position: after (or, backwards, before) the row with these key values."""
    values = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    payload = json.dumps({"o": signature, "v": values, "b": backwards}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_value(model, numeric, name, raw):
    if name in numeric:  # the search rank
        if not isinstance(raw, int | float) or isinstance(raw, bool):
            raise TypeError(name)
        return float(raw)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise KeyError(name) from None
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise TypeError(name)
    value = field.to_python(raw)
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(name)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:  # beyond bigint: PostgreSQL would raise
        raise ValueError(name)
    return value
