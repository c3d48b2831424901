"""One mapping from the exceptions our services raise to API responses.

Services speak Django (`ValidationError`, `PermissionDenied`) and `ConflictError`; the browser views turn them
into form errors and messages, and this handler turns them into the same messages as structured JSON.
"""

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from regional.exceptions import ConflictError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This object was changed by someone else. Reload it and try again.")
    default_code = "conflict"


class BodyTooLarge(exceptions.ParseError):
    default_detail = _("The request body is too large for this endpoint.")
    default_code = "body_too_large"


class TooManyFields(exceptions.ParseError):
    default_detail = _("The request body has too many fields.")
    default_code = "too_many_fields"


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """`{"field": ["message", …]}`, with errors not tied to a field under `non_field_errors` as DRF does."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    # Django refuses these bodies while DRF reads them; its own answer would be the site's HTML 400 page.
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = TooManyFields()
    elif isinstance(exc, ConflictError):
        exc = Conflict(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    # DRF's handler adds `Retry-After` to 429 and `WWW-Authenticate` to 401.
    return exception_handler(exc, context)
