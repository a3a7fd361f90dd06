"""A page's own font for its user-written text (core/page_fonts.py, ADR 0036): the marks
collect what the text draws, the page names one face per weight with exactly the characters
the slices it fetches anyway lack, the signed token carries them, and the view cuts that
subset, keeps it and lets the browser keep it."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from core import fontcut, page_fonts
from core.context_processors import page_font
from library.tests.factories import published
from office.templatetags.ui import drawn_text
from tests.cast import Cast

HANGUL = range(0xAC00, 0xD7A4)


def rare(weight: int, count: int = 3, *, korean: bool = True) -> str:
    """Syllables the font has in `weight` that no slice every page fetches holds."""
    left = page_fonts.covered(weight) - page_fonts.fetched_anyway(weight, korean)
    return "".join(chr(p) for p in sorted(p for p in left if p in HANGUL)[:count])


def common(weight: int) -> str:
    """A syllable of the public interface slice (every Korean page fetches it)."""
    held = page_fonts.fetched_anyway(weight, True) - page_fonts.fetched_anyway(weight, False)
    return chr(min(p for p in held if p in HANGUL))


# --- The token ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(sorted(page_fonts.covered(400))), min_size=1, max_size=400))
def test_a_token_carries_its_weight_and_characters_back(points: set[int]) -> None:
    assert page_fonts.read_token(page_fonts.token(400, points)) == (400, frozenset(points))


def test_a_page_s_few_hundred_syllables_make_a_short_token() -> None:
    syllables = sorted(p for p in page_fonts.covered(400) if p in HANGUL)[::9][:250]
    assert len(page_fonts.token(400, syllables)) < 450


@pytest.mark.parametrize(
    "tampered",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # another signature
        lambda t: t.replace("400.", "700.", 1),  # another weight under the same signature
        lambda t: t.replace(f".{page_fonts.version(400)}.", ".00000000.", 1),  # another font version
        lambda t: "garbage",
        lambda t: "",
        lambda t: t.split(":")[0],  # no signature
    ],
)
def test_a_token_we_did_not_sign_is_refused(tampered: Any) -> None:
    with pytest.raises(ValueError):
        page_fonts.read_token(tampered(page_fonts.token(400, {0xAC00, 0xAC01})))


@pytest.mark.parametrize(
    ("weight", "points"),
    [
        (500, {0xAC00}),  # a weight that is not served
        (400, {0x1F600}),  # a character the font lacks: nothing to cut
    ],
)
def test_a_signed_token_for_nothing_the_font_has_is_refused(weight: int, points: set[int]) -> None:
    with pytest.raises(ValueError):
        page_fonts.read_token(page_fonts.token(weight, points))


@pytest.mark.parametrize(
    "packed",
    [
        "gICAgIAB",  # a gap too large
        "_w",  # a dangling byte
        "gA",
        "__9_",  # past U+10FFFF
        "@@@",  # not base64url
        "",
    ],
)
def test_a_signed_but_malformed_set_is_refused(packed: str) -> None:
    from django.core import signing

    value = signing.Signer(salt=page_fonts.SALT).sign(f"400.{page_fonts.version(400)}.{packed}")
    with pytest.raises(ValueError):
        page_fonts.read_token(value)


# --- Which characters a page's face holds -------------------------------------------------------


def test_a_page_face_holds_what_the_slices_every_page_fetches_lack() -> None:
    glyphs = page_fonts.Glyphs()
    glyphs.add(400, "abc " + common(400) + rare(400))
    glyphs.add(700, rare(700, 2))
    faces = page_fonts.faces_for(glyphs, "ko")
    assert [(f.weight, f.points) for f in faces] == [
        (400, frozenset(map(ord, rare(400)))),
        (700, frozenset(map(ord, rare(700, 2)))),
    ]
    # in English the public interface slice is not fetched: its syllables come in the face
    english = page_fonts.faces_for(glyphs, "en")
    assert english[0].points == frozenset(map(ord, common(400) + rare(400)))


def test_no_face_when_the_text_needs_nothing_more() -> None:
    glyphs = page_fonts.Glyphs()
    glyphs.add(400, "Plain ASCII, " + common(400))
    glyphs.add(500, rare(400))  # no face of this weight is served: nothing to cut
    glyphs.add(400, "\U0001f600")  # the font lacks it: the next font of the stack draws it
    assert page_fonts.faces_for(glyphs, "ko") == []


# --- The marks and the tag ----------------------------------------------------------------------


def test_the_drawn_text_of_markup_leaves_out_tags_and_attributes_and_reads_entities() -> None:
    assert drawn_text('<a href="/x" title="숨은글">보&amp;임</a>') == " 보&임 "


def render(source: str, context: dict[str, Any] | None = None) -> tuple[str, page_fonts.Glyphs]:
    request = RequestFactory().get("/")
    collector = page_font(request)["page_glyphs"]
    with translation.override("ko"):
        out = Template("{% load ui %}" + source).render(Context({"page_glyphs": collector, **(context or {})}))
    return out, collector


def test_a_mark_renders_its_content_unchanged_and_collects_its_characters_by_weight() -> None:
    out, glyphs = render(
        "{% glyphs bold %}<h3>{{ title }}</h3>{% endglyphs %}{% glyphs %}<p>{{ body }}</p>{% endglyphs %}"
        "<p>{{ unmarked }}</p>",
        {"title": "가<b>", "body": "나 & 다", "unmarked": "라"},
    )
    assert out == "<h3>가&lt;b&gt;</h3><p>나 &amp; 다</p><p>라</p>"
    assert glyphs.by_weight == {700: set(" 가<b>"), 400: set(" 나&다")}


@pytest.mark.parametrize("source", ["{% glyphs heavy %}x{% endglyphs %}", "{% glyphs bold 1 %}x{% endglyphs %}"])
def test_a_mark_names_regular_or_bold(source: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load ui %}" + source)


def test_the_page_font_tag_writes_one_face_per_weight_with_the_nonce() -> None:
    text = rare(700)
    out, _ = render("{% glyphs bold %}" + text + "{% endglyphs %}{% page_font %}", {"csp_nonce": "n0nce"})
    assert out.startswith(text + '<style nonce="n0nce" data-page-font>@font-face{font-family:"Proactive GOV Sans";')
    (face,) = fontcut.faces(out.split("data-page-font>")[1].removesuffix("</style>"))
    assert (face.weight, face.points) == (700, frozenset(map(ord, text)))
    assert face.file.startswith("/fonts/")
    assert face.file.endswith(".woff2")


def test_nothing_is_written_without_marks_or_outside_a_page_render() -> None:
    assert render("{% page_font %}")[0] == ""
    assert Template("{% load ui %}{% glyphs %}" + rare(400) + "{% endglyphs %}{% page_font %}").render(
        Context({})
    ) == rare(400)


# --- The view -----------------------------------------------------------------------------------


@pytest.fixture
def empty_cache() -> Any:
    for store in (cache, caches["fonts"]):
        store.clear()
    yield
    for store in (cache, caches["fonts"]):
        store.clear()


@pytest.mark.django_db
def test_the_view_answers_the_subset_of_exactly_those_characters(empty_cache: None) -> None:
    points = frozenset(map(ord, rare(400, 20)))
    url = reverse("page_font", kwargs={"token": page_fonts.token(400, points)})
    with mock.patch("core.page_fonts.fontcut.cut", wraps=fontcut.cut) as cut:
        first = Client().get(url)
        again = Client().get(url)
    assert cut.call_count == 1  # the second answer came from the cache
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == "font/woff2"
    assert first["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Set-Cookie" not in first.headers
    assert "Vary" not in first.headers  # the same bytes for every visitor and language
    font = TTFont(io.BytesIO(first.content))
    assert set(font.getBestCmap()) == set(points)
    assert font["name"].getDebugName(1) == fontcut.FAMILY  # named anew, as the slices are (OFL §3)
    assert first.content == again.content


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["x", "400.gA:nosignature", "..", "400.00000000.gA:AAAA"])
def test_the_view_answers_404_to_what_we_did_not_sign(token: str) -> None:
    assert Client().get(f"/fonts/{token}.woff2").status_code == 404


@pytest.mark.django_db
def test_the_view_refuses_other_methods() -> None:
    url = reverse("page_font", kwargs={"token": page_fonts.token(400, {0xAC00})})
    assert Client().post(url).status_code == 405


# --- On a page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_practice_page_names_its_title_and_text_in_its_own_faces(cast: Cast, empty_cache: None) -> None:
    title, body = rare(700, 4), rare(400, 6)
    practice = published(cast, title=f"경로당 {title}", problem=f"난방비 {body}")
    client = Client(headers={"accept-language": "ko"})
    page = client.get(reverse("portal_library:detail", kwargs={"pk": practice.pk})).content.decode()
    style = page.split("data-page-font>")[1].split("</style>")[0]
    faces = {face.weight: face for face in fontcut.faces(style)}
    assert set(map(ord, title)) <= faces[700].points
    assert set(map(ord, body)) <= faces[400].points
    for face in faces.values():
        assert client.get(face.file).status_code == 200
    listing = client.get(reverse("portal_library:list")).content.decode()
    assert set(map(ord, title)) <= fontcut.faces(listing.split("data-page-font>")[1].split("</style>")[0])[-1].points


@pytest.mark.django_db
def test_without_the_whole_font_pages_name_no_face_and_an_old_url_is_a_404(
    empty_cache: None, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("page_font", kwargs={"token": page_fonts.token(400, set(map(ord, rare(400))))})
    monkeypatch.setattr(page_fonts, "SOURCES", tmp_path)  # an installation without static_src/krds/fonts
    glyphs = page_fonts.Glyphs()
    glyphs.add(400, rare(400))
    assert page_fonts.faces_for(glyphs, "ko") == []
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_past_the_cuts_a_minute_allows_the_view_answers_404(empty_cache: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_fonts, "CUTS_PER_MINUTE", 2)
    urls = [reverse("page_font", kwargs={"token": page_fonts.token(400, {p})}) for p in map(ord, rare(400, 3))]
    assert [Client().get(url).status_code for url in urls] == [200, 200, 404]
    assert Client().get(urls[0]).status_code == 200  # what was cut is still served


def test_a_page_whose_faces_fail_still_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> list[page_fonts.PageFace]:
        raise RuntimeError("static/vendor is missing")

    monkeypatch.setattr(page_fonts, "faces_for", broken)
    assert render("{% glyphs %}" + rare(400) + "{% endglyphs %}{% page_font %}")[0] == rare(400)


@pytest.mark.django_db
def test_an_htmx_fragment_names_no_face(cast: Cast) -> None:
    published(cast, title=f"경로당 {rare(700, 4)}")
    fragment = Client(headers={"HX-Request": "true"}).get(reverse("portal_library:list")).content.decode()
    assert rare(700, 4) in fragment
    assert "data-page-font" not in fragment
