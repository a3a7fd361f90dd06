"""Reads of the bulk importer, scoped to what the actor may see: the jobs of the actor's
institution, of the kinds whose roles the actor holds."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from core import importer
from core.access import Actor, get_visible_or_404, same_institution
from core.importer import ImportSpec
from core.models import ImportJob


def spec_or_404(actor: Actor, kind: str) -> ImportSpec:
    spec = importer.get_spec(kind)
    if spec is None or not spec.allows(actor):
        raise Http404
    return spec


def import_jobs_for(actor: Actor) -> QuerySet[ImportJob]:
    kinds = [spec.kind for spec in importer.specs_for(actor)]
    return same_institution(actor, ImportJob.objects.all()).filter(kind__in=kinds)


def import_job_or_404(actor: Actor, pk: int) -> ImportJob:
    return get_visible_or_404(import_jobs_for(actor), pk=pk)


def recent_jobs(actor: Actor, kind: str, limit: int = 10) -> list[ImportJob]:
    return list(import_jobs_for(actor).filter(kind=kind).order_by("-created_at")[:limit])
