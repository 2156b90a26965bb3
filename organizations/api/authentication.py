"""Token authentication that reads the user's provider profile in the same query.

DRF's ``TokenAuthentication`` reads the token and its user; the provider profile (``user.volunteer``
and its region, what ``Roles.provider`` reads) would be a second round trip on every provider
request, the claim above all (issue 15). Joined here, it is cached on this request's user object
where ``Roles.provider`` finds it: nothing is kept across requests or users.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

# The reverse one-to-one of volunteers.Volunteer.user, by name (this app imports no volunteers).
PROVIDER_PROFILE = "user__volunteer__region"


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user", PROVIDER_PROFILE).get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
