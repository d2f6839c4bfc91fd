"""Who may do what through the API: the admin's model permissions, reads open to all."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.request import Request


class AdminModelPermissions(DjangoModelPermissions):
    """Anyone may read; writing needs the model permission the admin would ask for.

    Reads are open, and what a reader sees is decided by the queryset (published rows,
    or drafts too for a user with the model's view permission). A write needs the
    add, change or delete permission: the Analyst group has the first two only, so an
    analyst's DELETE is refused with 403, and an anonymous write with 401.
    """

    authenticated_users_only = False
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [],
        "OPTIONS": [],
        "HEAD": [],
    }

    def _queryset(self, view: Any) -> QuerySet:
        # Only the model counts here: the view's declared queryset names it without
        # building the one the reader is answered from.
        if getattr(view, "queryset", None) is not None:
            return view.queryset
        return super()._queryset(view)


class SeesDrafts(BasePermission):
    """Signed-in users who may view the drafts of the view's model: analysts and
    editors. An anonymous request is answered 401, anyone else without it 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        opts = view.queryset.model._meta
        return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
