"""The admin's side doors keep the pages' secrets.

Besides each model's own pages, Django's admin answers routes that reach any
object: "view on site" (/admin/r/<content type>/<id>/) and the delete
confirmations, which list every related object. Here both go through the
model admin's permissions and queryset, which for notes is
Note.objects.visible_to(user): the rule the pages follow.
"""

from django.contrib import admin
from django.contrib.admin.options import EMPTY_VALUE_STRING
from django.contrib.admin.utils import NestedObjects, display_for_value, quote
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def view_on_site(request, content_type_id, object_id):
    """Redirect to the object's page on the site.

    One and the same 404 for a model outside the admin, one the user may not
    view, one whose admin says view_on_site = False (its address holds a
    secret, like a calendar feed), an object the user may not see and an id
    that does not exist: the answer tells nothing about what exists.
    """
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    model = content_type.model_class()
    if model is None or not admin.site.is_registered(model):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    if not model_admin.view_on_site or not model_admin.has_view_permission(request):
        raise Http404
    obj = model_admin.get_object(request, object_id)  # None when not in the user's queryset
    if obj is None:
        raise Http404
    if callable(model_admin.view_on_site):
        url = model_admin.view_on_site(obj)
    elif hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    else:
        raise Http404
    return HttpResponseRedirect(url)


def deleted_objects_for(model_admin, objs, request):
    """What the delete confirmation lists, less what the user may not see in the admin.

    Same result as ModelAdmin.get_deleted_objects(), but an object that the
    admin of its model leaves out of this user's queryset (an admin-only note
    for a sales rep) is neither listed nor counted, as on the contact's own
    delete page; it is still deleted with the rest. A hidden object that
    protects the deletion is counted without a word of its content (the
    deletion stays refused), and one the user may not delete still refuses it.
    One query per model of the admin found among the related objects.
    """
    admin_site = model_admin.admin_site
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    hidden = _hidden(admin_site, request, [*collector.model_objs.values(), collector.protected])
    perms_needed = set()

    def format_callback(obj):
        opts = obj._meta
        if not admin_site.is_registered(obj.__class__):
            return "%s: %s" % (capfirst(opts.verbose_name), obj)
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        except NoReverseMatch:
            return "%s: %s" % (capfirst(opts.verbose_name), obj)
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url,
                           display_for_value(str(obj), EMPTY_VALUE_STRING))

    # Hidden objects leave the tree (and whatever hangs below them).
    collector.edges = {
        source: [target for target in targets if target not in hidden]
        for source, targets in collector.edges.items() if source not in hidden
    }
    to_delete = collector.nested(format_callback)
    for obj in hidden - collector.protected:
        format_callback(obj)  # only for perms_needed: what the user may not delete stays refused
    protected = [format_callback(obj) for obj in collector.protected if obj not in hidden]
    for model, found in _by_model(obj for obj in collector.protected if obj in hidden).items():
        protected.append(_("%(model)s: %(count)s that you may not see") % {
            "model": capfirst(model._meta.verbose_name_plural), "count": len(found),
        })
    model_count = {
        model._meta.verbose_name_plural: len(found - hidden)
        for model, found in collector.model_objs.items() if found - hidden
    }
    return to_delete, model_count, perms_needed, protected


def _hidden(admin_site, request, groups) -> set:
    """The objects that the admin of their model leaves out of this user's queryset."""
    hidden = set()
    for model, found in _by_model(obj for group in groups for obj in group).items():
        if admin_site.is_registered(model):
            visible = set(
                admin_site.get_model_admin(model).get_queryset(request)
                .filter(pk__in=[obj.pk for obj in found]).values_list("pk", flat=True)
            )
            hidden |= {obj for obj in found if obj.pk not in visible}
    return hidden


def _by_model(objs) -> dict:
    grouped = {}
    for obj in objs:
        grouped.setdefault(obj.__class__, set()).add(obj)
    return grouped


class VisibleDeletionMixin:
    """For a ModelAdmin whose deletions reach objects some users may not see."""

    def get_deleted_objects(self, objs, request):
        return deleted_objects_for(self, objs, request)
