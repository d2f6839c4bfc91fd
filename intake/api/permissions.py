"""Who may use intake through the API: analysts, as in the source's admin."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class IntakePermission(BasePermission):
    """Signed-in users holding every permission the view names for the method: its
    ``read_permissions`` for a read, its ``write_permissions`` for a write.

    An anonymous request is answered 401 (the token challenge), anyone else without
    them 403; reading drafts' texts and suggestions is never open to the public.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perms(view.read_permissions)
        return user.has_perms(view.write_permissions)
