from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from agencies.tokens import api_token_create
from agencies.two_factor import two_factor_required, two_factor_verify, user_has_two_factor
from audit.services import Actor


class SignInLockedOut(exceptions.Throttled):
    """The username is locked from this address (django-axes): 429 with Retry-After, like a throttle."""

    def __init__(self):
        from django.conf import settings

        from agencies.views_security import locked_out_message

        super().__init__(wait=settings.AXES_COOLOFF_TIME.total_seconds(), detail=locked_out_message())


class TokenObtainThrottle(AnonRateThrottle):
    scope = "token_obtain"


class TokenObtainInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        max_length=20,
        help_text="The 6-digit code from the user's authenticator app (or a backup code). Required: a token is only "
        "given to a user who has set up two-factor sign-in in the web application.",
    )
    name = serializers.CharField(required=False, max_length=100, help_text="A name for the token (default: 'Script, <date>')")


class TokenObtainOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    name = serializers.CharField()


class TokenObtainApi(APIView):
    """Exchange a username, password and two-factor code for a personal API token (for scripts). Throttled; repeated
    failures lock the username from that address (HTTP 429 with Retry-After)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        request=TokenObtainInputSerializer,
        responses={
            201: TokenObtainOutputSerializer,
            400: OpenApiResponse(description="Wrong username or password, or a missing or wrong two-factor code (`otp`)"),
            429: OpenApiResponse(
                description="Too many attempts: too many failed sign-ins for this username from this address (locked for "
                "15 minutes), or too many requests. The Retry-After header gives the seconds to wait."
            ),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenObtainInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"], password=data.validated_data["password"])
        if getattr(request._request, "axes_locked_out", False):
            raise SignInLockedOut()
        if user is None:
            raise serializers.ValidationError({"non_field_errors": ["Enter a correct username and password."]})
        if two_factor_required():
            self._check_second_factor(request, user, data.validated_data.get("otp", ""))
        name = data.validated_data.get("name") or f"Script, {timezone.localdate():%d %b %Y}"
        token, key = api_token_create(actor=Actor(user=user, ip_address=request.META.get("REMOTE_ADDR")), user=user, name=name)
        return Response({"token": key, "name": token.name}, status=status.HTTP_201_CREATED)

    @staticmethod
    def _check_second_factor(request, user, code: str) -> None:
        """Tokens go only to users who sign in with two factors: the same code as the web sign-in's second step."""
        if not user_has_two_factor(user=user):
            raise serializers.ValidationError(
                {"otp": ["Set up two-factor sign-in by signing in to ASB Casework in a browser, then ask for a token."]}
            )
        if not code:
            raise serializers.ValidationError({"otp": ["Give the 6-digit code from your authenticator app."]})
        actor = Actor(user=user, ip_address=request.META.get("REMOTE_ADDR"))
        if two_factor_verify(actor=actor, user=user, code=code) is None:
            raise serializers.ValidationError({"otp": ["That code is not right. Give the newest code from your authenticator app."]})
