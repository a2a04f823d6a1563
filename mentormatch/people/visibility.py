"""Who may see a profile: the one rule every page, the suggestions and the introductions use."""

from __future__ import annotations

from mentormatch.models import DiasporaProfile, EntrepreneurProfile, ReviewStatus, User

Profile = EntrepreneurProfile | DiasporaProfile


def is_public(profile: Profile) -> bool:
    """True when others may see, be suggested and be introduced to this profile: a
    coordinator approved it and the account is active."""
    return is_public_state(profile.review_status, profile.user.is_active)


def is_public_state(review_status: ReviewStatus | str, account_active: bool) -> bool:
    """is_public from the two stored values (the matching index reads rows, not objects)."""
    return ReviewStatus(review_status) is ReviewStatus.APPROVED and bool(account_active)


def can_view(profile: Profile, viewer: User) -> bool:
    """Public profiles are visible to every logged-in user; others only to their owner and
    to coordinators (and admins)."""
    return is_public(profile) or profile.user_id == viewer.id or viewer.is_staff
