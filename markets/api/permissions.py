"""Who may do what through the API: the admin's model permissions, reads open to all."""

from rest_framework.permissions import DjangoModelPermissions


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
