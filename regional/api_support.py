"""The plumbing every API view shares: pagination, throttling, error mapping, CSV and the documented error codes.

Views inherit `ApiViewMixin` so that the rules live here once, not in `config/settings.py` and not per view.
"""

import functools

from django.conf import settings
from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from regional.api_errors import api_exception_handler
from regional.api_filters_common import StrictFilterBackend
from regional.api_throttling import ApiUserRateThrottle
from regional.renderers import CsvRenderer


class StrictPageSizeMixin:
    """A `page_size` that is not a whole number from 1 to the maximum is refused (400), not silently replaced."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # isascii(): str.isdigit() also accepts "²", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            message = _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class ApiPageNumberPagination(StrictPageSizeMixin, PageNumberPagination):
    """Numbered pages for the reference lists (a few hundred rows at most)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_query_param: [_("Enter a page number: 1 or more.")]})
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        return _with_link_header(response, self.get_next_link(), self.get_previous_link())


class ReportCursorPagination(StrictPageSizeMixin, CursorPagination):
    """Cursor pages in id order: a client walks every row once even while reports are added (no count query).

    The id never changes and is unique, so a cursor is an exact position: rows inserted during a walk land after
    it (ascending) or before it (descending) and are never served twice, and none are skipped.
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        return _with_link_header(response, self.get_next_link(), self.get_previous_link())


class FirstPageCountingPaginator(DjangoPaginator):
    """A first page reads its rows before any count: with room to spare they are the whole list, so their number is
    the count; a full one takes the count from a column every row carries (`count_of_row`, e.g. a run's listed
    counties) when the view has one. Otherwise, and on any other page, the view's `known_count()` answers if it
    can (it may also refuse the request: 404 for a run out of scope), else Django's COUNT (the same `count`
    either way). An empty first page still asks `known_count()`, so an unknown parent is a 404, not an empty list."""

    def __init__(self, *args, known_count=None, count_of_row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count or (lambda: None)
        self.count_of_row = count_of_row

    def page(self, number):
        if str(number) != "1" or self.orphans:
            self._use_known_count()
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            if not rows:
                self.known_count()
            self.__dict__["count"] = len(rows)  # the cached_property's slot
            if not rows and not self.allow_empty_first_page:
                raise EmptyPage(self.error_messages["no_results"])
        elif self.count_of_row is not None:
            self.__dict__["count"] = self.count_of_row(rows[0])
        else:
            self._use_known_count()
        return self._get_page(rows, 1, self)

    def _use_known_count(self):
        known = self.known_count()
        if known is not None:
            self.__dict__["count"] = known


class StandingsPagination(ApiPageNumberPagination):
    """One page holds a whole year's standings for the 175 ranked units (and a 3,000-county scale-up in 6).

    A year's standings fit the first page, so the page's own rows give the count: the COUNT query was a tenth
    of a standings request (bench/README.md, API benchmark)."""

    page_size = 200
    max_page_size = 1000
    django_paginator_class = FirstPageCountingPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # A view may say how a row tells the row count (`row_count_of()`) and how to know the count without a
        # COUNT when the rows cannot tell (`known_row_count()`, e.g. a run's listed counties).
        self.django_paginator_class = functools.partial(
            FirstPageCountingPaginator,
            known_count=getattr(view, "known_row_count", None),
            count_of_row=getattr(view, "row_count_of", lambda: None)(),
        )
        return super().paginate_queryset(queryset, request, view)


def _with_link_header(response, next_link, previous_link):
    """A `Link` header lets CSV clients, which get no JSON envelope, follow the pages too."""
    links = []
    if next_link:
        links.append(f'<{next_link}>; rel="next"')
    if previous_link:
        links.append(f'<{previous_link}>; rel="previous"')
    if links:
        response["Link"] = ", ".join(links)
    return response


class NamedFieldsOrderingFilter(OrderingFilter):
    """Ordering only on the fields a view names; never "all fields" (`ordering_fields` is required)."""

    def get_valid_fields(self, queryset, view, context=None):
        return [(field, field) for field in getattr(view, "ordering_fields", [])]

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        allowed = [value for field in getattr(view, "ordering_fields", []) for value in (field, f"-{field}")]
        if not allowed:
            return []
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": allowed}
            parameter["description"] = "Order by one of the named fields; a leading '-' reverses it."
        return parameters

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get(self.ordering_param)
        if requested is not None:
            allowed = {value for field in getattr(view, "ordering_fields", []) for value in (field, f"-{field}")}
            terms = [term.strip() for term in requested.split(",")]
            if not terms or not set(terms) <= allowed:
                raise ValidationError(
                    {self.ordering_param: [_("Order by one of: %(fields)s.") % {"fields": ", ".join(sorted(allowed))}]}
                )
        ordering = super().get_ordering(request, queryset, view)
        # Ties (equal populations, unknown dates) would let rows swap between pages; the key breaks them.
        if ordering and not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering = [*ordering, "pk"]
        return ordering


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python's recursion limit (a few KB of `[`) is a 400,
    not a `RecursionError` that escapes as a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` names one of the endpoint's formats or is a 400 that lists them; DRF would answer an empty value
    as if none were given and an unknown one with a bare 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if requested is not None and format_suffix is None:
            formats = [renderer.format for renderer in renderers]
            if requested not in formats:
                message = _("Choose one of: %(formats)s.") % {"formats": ", ".join(formats)}
                raise ValidationError({self.settings.URL_FORMAT_OVERRIDE: [message]})
        return super().select_renderer(request, renderers, format_suffix)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


_ERROR_RESPONSES = {
    "400": OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Invalid input: a field name (or `non_field_errors`, or `detail`) maps to its messages.",
    ),
    "401": OpenApiResponse(ErrorSerializer, description="No credentials, or an invalid or revoked token."),
    "403": OpenApiResponse(ErrorSerializer, description="The caller's role may not take this action."),
    "404": OpenApiResponse(
        ErrorSerializer, description="No such object within the caller's scope, or an invalid page or cursor."
    ),
    "409": OpenApiResponse(
        ErrorSerializer, description="The object changed since the `version` the client sent; reload and retry."
    ),
    "429": OpenApiResponse(ErrorSerializer, description="Too many requests; retry after `Retry-After` seconds."),
}
# gunicorn refuses a request line over `limit_request_line` (4,094 bytes by default) before Django sees it, with
# its own plain answer: documented without a body, as clients cannot rely on one.
URI_TOO_LONG = {"description": "The address (path and query) is too long; the server refused it unread."}


class ApiSchema(AutoSchema):
    """Document every error code the API can answer, so clients (and schemathesis) can rely on the schema."""

    def get_tags(self):
        # /api/v1/<resource>/… → "<resource>", so the documentation groups operations by what they are about.
        parts = [part for part in self.path.split("/") if part]
        return [parts[2] if len(parts) > 2 else "api"]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH") and getattr(self.view, "is_versioned_write", False):
            codes.append("409")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    _ERROR_RESPONSES[code], code, media_types=["application/json"], direction=direction
                )
        responses.setdefault("414", dict(URI_TOO_LONG))
        return responses

    def _get_request_for_media_type(self, serializer, direction="request"):
        # drf-spectacular documents a PATCH body as the serializer made partial (nothing required), as DRF's
        # generic views do. Ours never are: each PATCH serializer declares what a change must carry (`version`)
        # and leaves the rest optional, so the schema shows it as it validates.
        if self.method != "PATCH":
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "POST"
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"


class ApiViewMixin:
    # Shared policy of every API view: JSON (browsable in DEBUG), per-user throttle, one error mapping.
    # (A comment, not a docstring: drf-spectacular would publish a docstring as every operation's description.)

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer] if settings.DEBUG else [JSONRenderer]
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]
    content_negotiation_class = StrictContentNegotiation
    throttle_classes = [ApiUserRateThrottle]
    filter_backends = [StrictFilterBackend, NamedFieldsOrderingFilter]
    pagination_class = ApiPageNumberPagination
    schema = ApiSchema()
    ordering_fields: list[str] = []

    def get_exception_handler(self):
        return api_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON, even when the client asked for CSV: a spreadsheet cannot show `{"detail": …}`
        # usefully and the schema documents errors as JSON only.
        if response.status_code >= 400 and isinstance(getattr(request, "accepted_renderer", None), CsvRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


def csv_renderer_classes():
    """Renderers for the lists a spreadsheet user wants: JSON first (the default), then CSV (`?format=csv`)."""
    return [*ApiViewMixin.renderer_classes, CsvRenderer]


__all__ = [
    "ApiPageNumberPagination",
    "ApiSchema",
    "ApiUserRateThrottle",
    "ApiViewMixin",
    "NamedFieldsOrderingFilter",
    "ReportCursorPagination",
    "StandingsPagination",
    "csv_renderer_classes",
]
