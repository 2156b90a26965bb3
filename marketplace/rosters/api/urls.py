from rest_framework.routers import SimpleRouter

from marketplace.rosters.api.views import (
    RosterClaimViewSet,
    ServedShiftViewSet,
    ShiftViewSet,
    StationViewSet,
    SwapViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("duty-stations", StationViewSet, basename="duty-station")
router.register("rosters/shifts", ShiftViewSet, basename="roster-shift")
# Only detail actions (swap/, served/): the claims' list and detail stay marketplace.api's.
router.register("claims", RosterClaimViewSet, basename="roster-claim")
router.register("shift-swaps", SwapViewSet, basename="shift-swap")
router.register("served-shifts", ServedShiftViewSet, basename="served-shift")

urlpatterns = router.urls
