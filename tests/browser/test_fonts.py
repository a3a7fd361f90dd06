"""The sliced PretendardGOV in a real browser (docs/adr/0002, 0035): every character the
public pages and the office draw is held by a slice of the weight that draws it (none falls
back to another font), and chromium fetches the slices the font probe (bench.fonts) predicts
from the characters - on public pages exactly those - so the probe's byte counts hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from bench import fonts
from library.tests.factories import published
from tests.cast import Cast

pytestmark = pytest.mark.browser

SLICER = fonts.slicer()


def public_pages(cast: Cast) -> list[str]:
    practice = published(cast, title="노후 경로당 에너지 효율 개선", problem="겨울마다 난방비가 걱정이었습니다.")
    return [
        reverse("portal:home"),
        f"{reverse('portal_reports:new')}?institution={cast.district.pk}",
        reverse("portal_library:list"),
        reverse("portal_library:detail", kwargs={"pk": practice.pk}),
    ]


def check(page: Any, faces: list[Any], *, exact: bool) -> tuple[set[int], set[str]]:
    """No character of the page, shown or hidden, is missing from the slices of its weight;
    chromium fetched at least the slices of the shown text and at most those of all the text
    (KRDS's script hides the office's mobile menu only when it runs, and chromium fetched
    that menu's slices on some loads); with `exact`, just those of the shown text."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready")
    faces = faces + fonts.page_faces(page)
    shown = fonts.drawn(page, SLICER.FAMILY)
    everything = fonts.drawn(page, SLICER.FAMILY, hidden=True)
    assert shown, f"{page.url} draws nothing in {SLICER.FAMILY}"
    gaps = fonts.missing(everything, faces)
    held_nowhere = {weight: "".join(map(chr, sorted(points))) for weight, points in gaps.items()}
    assert not gaps, f"{page.url}: no slice holds {held_nowhere}"
    fetched = set(fonts.fetched(page))
    least = {face.file for face in fonts.needed(shown, faces)}
    assert least <= fetched <= {face.file for face in fonts.needed(everything, faces)}, page.url
    if exact:
        assert fetched == least, page.url
    return set(shown), fetched


def test_public_and_office_pages_draw_every_character_from_the_slices_of_its_weight(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url
) -> None:
    faces = SLICER.faces((fonts.FONTS / SLICER.CSS_NAME).read_text())
    weights: set[int] = set()
    for path in public_pages(cast):
        for locale in ("ko-KR", "en-US"):
            page = new_page(locale=locale)  # a fresh context: nothing cached from the last page
            page.goto(live_url(path))
            shown, fetched = check(page, faces, exact=True)
            weights |= shown
            if path.startswith(reverse("portal_library:list")):
                # the practice's own syllables come in the page's own faces, no tail slice
                slices = {name for name in fetched if name.startswith("PretendardGOV-")}
                assert len(fetched - slices) == 2, (path, locale, fetched)
                assert {name.split(".")[1] for name in slices} <= {"000", "001"}, (path, locale, fetched)
    for path in (reverse("office:home"), reverse("reports:queue")):
        page = new_page()
        login(page, "aa_officer")
        page.goto(live_url(path))
        weights |= check(page, faces, exact=False)[0]
    assert weights == {400, 700}
