"""The shape every record endpoint shares: list (keyset pages), retrieve, create, change
(PATCH, version-checked), delete; each action behind the permission its page asks for."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api.pagination import KeysetPagination
from api.permissions import ActionPermission
from api.writing import check_version


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ActionPermission]
    pagination_class = KeysetPagination
    filter_backends = [DjangoFilterBackend]
    action_permissions: dict[str, str | list[str]] = {}
    orderings: dict[str, list[str]] = {}
    default_ordering = ""
    write_serializer_class = None

    def ordering_for(self, request) -> list[str]:
        value = request.query_params.get("ordering") or self.default_ordering
        columns = self.orderings.get(value.lstrip("-"))
        if columns is None:  # the filter already refused it; kept for callers without the filter
            raise serializers.ValidationError({"ordering": [_("Unknown sort order.")]})
        return [f"-{column}" for column in columns] if value.startswith("-") else columns

    def body(self, request) -> dict:
        """The body's values, shape-checked (unknown or read-only keys: 400 naming them)."""
        writer = self.write_serializer_class(data=request.data, context={"user": request.user})
        writer.is_valid(raise_exception=True)
        return dict(writer.validated_data)

    def shown(self, instance) -> dict:
        return self.get_serializer(self.reread(instance)).data

    def reread(self, instance):
        """The record as a GET would show it (with what get_queryset loads alongside)."""
        return self.get_queryset().get(pk=instance.pk)

    # No atomic block here: every write request already is one transaction
    # (crm.middleware.atomic_writes), and each save below is atomic on its own.
    def create(self, request, *args, **kwargs):
        instance = self.write(self.body(request), None)
        return Response(self.shown(instance), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        values = self.body(request)
        check_version(instance, values, self.shown)
        instance = self.write(values, instance)
        return Response(self.shown(instance))

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.remove(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def write(self, values: dict, instance):
        raise NotImplementedError

    def remove(self, instance) -> None:
        instance.delete()
