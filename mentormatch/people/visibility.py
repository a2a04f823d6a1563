"""Who may see a profile: the one rule every page, the suggestions and the introductions use."""

from __future__ import annotations

from mentormatch.models import DiasporaProfile, EntrepreneurProfile, ReviewStatus, User

Profile = EntrepreneurProfile | DiasporaProfile


def is_public(profile: Profile) -> bool:
    """True when others may see, be suggested and be introduced to this profile: a
    coordinator approved it and the account is active."""
    return profile.review_status is ReviewStatus.APPROVED and bool(profile.user.is_active)


def can_view(profile: Profile, viewer: User) -> bool:
    """Public profiles are visible to every logged-in user; others only to their owner and
    to coordinators (and admins)."""
    return is_public(profile) or profile.user_id == viewer.id or viewer.is_staff
