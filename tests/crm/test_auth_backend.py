import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from crm.auth_backends import OneQueryModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no cached permissions


@pytest.mark.parametrize("persona", ["rep", "manager", "outsider"])
def test_the_same_permissions_as_djangos_backend_in_one_query(request, persona, django_assert_num_queries):
    user = request.getfixturevalue(persona)
    user.user_permissions.add(Permission.objects.get(codename="view_contact"))
    expected = ModelBackend().get_all_permissions(fresh(user))
    user = fresh(user)
    with django_assert_num_queries(1):
        assert OneQueryModelBackend().get_all_permissions(user) == expected
    assert ("contacts.view_contact" in expected) and (persona == "outsider" or len(expected) > 1)


def test_a_superuser_has_every_permission_and_an_inactive_user_none(rep):
    superuser = UserFactory(username="root", is_superuser=True)
    assert OneQueryModelBackend().get_all_permissions(superuser) == ModelBackend().get_all_permissions(fresh(superuser))
    rep.is_active = False
    rep.save()
    assert OneQueryModelBackend().get_all_permissions(fresh(rep)) == set()
    assert not fresh(rep).has_perm("contacts.view_contact")


def test_the_project_uses_it(settings, rep):
    # After the sign-in guard's, which checks no password and grants no permission.
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend", "crm.auth_backends.OneQueryModelBackend"]
    assert fresh(rep).has_perm("contacts.view_contact")
