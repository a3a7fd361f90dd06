"""Contest results as candidates in a real browser: the organiser opens the graded entries of
the institution's finished contests from a round and nominates an official of a case; the
candidate's dossier shows the contest nomination. Both pages are axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rewards.models import Nomination
from rewards.tests import factories as f
from rewards.tests.test_contest_source import graded
from tests.browser.helpers import assert_at, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {"rewards:contest_entries": "test_the_organiser_nominates_an_official_of_a_graded_contest_case"}
POST_ONLY = {"rewards:pull_contest": "aa_officer"}


def test_the_organiser_nominates_an_official_of_a_graded_contest_case(  # type: ignore[no-untyped-def]
    cast: Cast, page, *, login, live_url, assert_accessible
) -> None:
    round_ = f.round_factory(cast)
    entry = graded(cast)
    login(page, "aa_officer")
    goto_ok(page, live_url("rewards:round", pk=round_.pk))
    click(page, page.locator("main").get_by_role("link", name="경진대회 입상작 가져오기"))
    assert_at(page, "rewards:contest_entries")
    expect(page.locator("main")).to_contain_text(entry.best_practice.title)
    assert_accessible(page)
    submit(page, re.compile(rf"후보로 올리기\s*:\s*{re.escape(cast.official.person.name)}"))
    assert_at(page, "rewards:candidate")
    expect(page.locator("main")).to_contain_text("경진대회 입상")
    assert_accessible(page)
    assert Nomination.objects.filter(contest_entry=entry, source=Nomination.Source.CONTEST).count() == 1
