"""Background tasks of the recommendations module (run by the task worker, enqueued by the
scheduler)."""

from __future__ import annotations

from django.tasks import task


@task
def erase_expired_recommender_contacts() -> int:
    """Daily: erase the recommender's name and contact once the retention period is over."""
    from recommendations.services import erase_expired_contacts

    return erase_expired_contacts()
