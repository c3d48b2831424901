"""Tokens for API clients: a token is one user's and carries exactly that user's scope.

Administrators issue and revoke tokens in the admin (Auth Token → Tokens); a user obtains theirs with their
password here (the same one, created on first use) and can always see it at /api/v1/auth/me/.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from regional import sign_in
from regional.api_support import ApiViewMixin


class TooManySignInAttempts(exceptions.Throttled):
    default_detail = _("Too many failed sign-ins for this username from your address.")


class TooManySignInAttemptsFromAddress(exceptions.Throttled):
    default_detail = _("Too many failed sign-ins from your address.")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(min_length=1, max_length=150)
    password = serializers.CharField(
        min_length=1, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("Send it as `Authorization: Token <token>`."))
    created = serializers.DateTimeField(read_only=True)


class MyAccountSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    county = serializers.SlugField(read_only=True, allow_null=True)
    province = serializers.CharField(read_only=True, allow_null=True)
    token = TokenSerializer(read_only=True, allow_null=True)


class ObtainTokenView(ApiViewMixin, APIView):
    # The password in the body is the authentication; a session cookie the client happens to carry must not
    # turn this into a CSRF-checked request.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Obtain your API token with your username and password",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The plain Django request: django-axes counts failures and locks out on it, as for the login page.
        django_request = request._request
        address_wait = sign_in.address_retry_after_seconds(django_request)
        if address_wait is not None:
            raise TooManySignInAttemptsFromAddress(wait=address_wait)
        credentials = {"username": serializer.validated_data["username"]}
        if AxesProxyHandler.is_locked(django_request, credentials):
            raise TooManySignInAttempts(wait=sign_in.lockout_retry_after_seconds(django_request))
        user = authenticate(
            django_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # This failure reached the limit. Axes has recorded the lockout; clearing its flag keeps its
            # middleware from swapping our JSON answer for the login page's HTML one.
            django_request.axes_locked_out = False
            raise TooManySignInAttempts(wait=sign_in.lockout_retry_after_seconds(django_request))
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with this username and password.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key, "created": token.created}).data)


class MyAccountView(ApiViewMixin, APIView):
    @extend_schema(summary="Who you are, your scope and your API token", responses={200: MyAccountSerializer})
    def get(self, request):
        user = request.user
        token = Token.objects.filter(user=user).first()
        account = {
            "username": user.username,
            "role": user.role,
            "county": user.county.slug if user.county_id else None,
            "province": user.province.code if user.province_id else None,
            "token": {"token": token.key, "created": token.created} if token else None,
        }
        return Response(MyAccountSerializer(account).data)
