"""API permissions by role: each asks the caller's ``Roles`` (organizations.roles), loaded once
per request and shared with the access helpers and services the view then calls.

A signed-out caller gets 401; a signed-in caller without the role 403 with ``message`` and
``code``, the same answer the domain error of the rule gives."""

from rest_framework import permissions

from organizations.roles import REGULATORS_ONLY, Roles, roles_of


class RolePermission(permissions.BasePermission):
    """Signed in, and ``allows(roles)``. Subclasses say which role, and may say the refusal in the
    words of their endpoint (``message``, ``code``)."""

    code = "permission_denied"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and self.allows(roles_of(user))

    def allows(self, roles: Roles) -> bool:
        raise NotImplementedError


class IsRegulator(RolePermission):
    """Reviewers and admins of justice bureaus and lawyers' associations."""

    message = REGULATORS_ONLY

    def allows(self, roles: Roles) -> bool:
        return roles.is_regulator


class IsProviderOrCoordinator(RolePermission):
    """Providers, and coordinators of an organisation."""

    def allows(self, roles: Roles) -> bool:
        return roles.is_provider or roles.is_coordinator


class IsProviderOrRegulator(RolePermission):
    """Providers, and regulators."""

    def allows(self, roles: Roles) -> bool:
        return roles.is_provider or roles.is_regulator
