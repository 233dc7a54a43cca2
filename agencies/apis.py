from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from agencies.tokens import api_token_create
from audit.services import Actor


class TokenObtainThrottle(AnonRateThrottle):
    scope = "token_obtain"


class TokenObtainInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(required=False, max_length=100, help_text="A name for the token (default: 'Script, <date>')")


class TokenObtainOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    name = serializers.CharField()


class TokenObtainApi(APIView):
    """Exchange a username and password for a personal API token (for scripts). Throttled."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        request=TokenObtainInputSerializer,
        responses={201: TokenObtainOutputSerializer, 400: OpenApiResponse(description="Wrong username or password"), 429: OpenApiResponse(description="Too many attempts")},
        auth=[],
    )
    def post(self, request):
        data = TokenObtainInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"], password=data.validated_data["password"])
        if user is None:
            raise serializers.ValidationError({"non_field_errors": ["Enter a correct username and password."]})
        name = data.validated_data.get("name") or f"Script, {timezone.localdate():%d %b %Y}"
        token, key = api_token_create(actor=Actor(user=user, ip_address=request.META.get("REMOTE_ADDR")), user=user, name=name)
        return Response({"token": key, "name": token.name}, status=status.HTTP_201_CREATED)
