"""The font probe's offline half: the face weight a browser draws each weight with, the
slices a page's characters make it fetch, the characters no slice holds, and the bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import fonts

Face = fonts.slicer().Face
SPACE = 0x20


def face(weight: int, file: str, text: str) -> Any:
    return Face(weight, file, frozenset(ord(c) for c in text))


#: two weights, each a basic slice (ASCII with the space) and two Hangul slices
FACES = [
    face(400, "R.000.woff2", " ABC.?"),
    face(400, "R.001.woff2", "가나다"),
    face(400, "R.002.woff2", "라마"),
    face(700, "B.000.woff2", " ABC.?"),
    face(700, "B.001.woff2", "가나"),
    face(700, "B.002.woff2", "다라마"),
]


@pytest.mark.parametrize(
    ("desired", "available", "drawn_with"),
    [
        (400, [400, 700], 400),
        (700, [400, 700], 700),
        (500, [400, 700], 400),  # 400-500: up to 500 first, then lighter
        (450, [400, 500, 700], 500),
        (500, [400, 500, 700], 500),
        (600, [400, 700], 700),  # above 500: heavier first
        (900, [400, 700], 700),  # bolder than bold: the heaviest there is
        (300, [400, 700], 400),  # below 400: lighter first, then heavier
        (100, [400, 500, 700], 400),
    ],
)
def test_each_weight_is_drawn_with_the_face_css_font_matching_picks(
    desired: int, available: list[int], drawn_with: int
) -> None:
    assert fonts.matched_weight(desired, available) == drawn_with


def test_a_page_fetches_the_slices_of_its_characters_and_the_space_of_each_weight() -> None:
    drawn = {400: {ord(c) for c in "가라"}, 700: {ord("가")}}
    assert [f.file for f in fonts.needed(drawn, FACES)] == [
        "R.000.woff2",  # no ASCII drawn: the space's slice gives the line its metrics
        "R.001.woff2",
        "R.002.woff2",
        "B.000.woff2",
        "B.001.woff2",
    ]
    # 600 (a heading in a stylesheet asking for semibold) is drawn in Bold; 500 in Regular
    assert [f.file for f in fonts.needed({600: {ord("다")}, 500: {ord("A")}}, FACES)] == [
        "R.000.woff2",
        "B.000.woff2",
        "B.002.woff2",
    ]
    assert fonts.needed({}, FACES) == []


def test_characters_no_slice_of_their_weight_holds_are_named() -> None:
    drawn = {400: {ord(c) for c in "가A漢"}, 700: {ord(c) for c in "마😀"}}
    assert fonts.missing(drawn, FACES) == {400: {ord("漢")}, 700: {ord("😀")}}
    assert fonts.missing({400: {SPACE, ord("마")}}, FACES) == {}


def test_the_bytes_are_each_file_and_its_headers(tmp_path: Path) -> None:
    (tmp_path / "R.000.woff2").write_bytes(b"x" * 1000)
    (tmp_path / "R.001.woff2").write_bytes(b"x" * 24)
    assert fonts.transferred(FACES[:2], tmp_path) == 1000 + 24 + 2 * fonts.HEADERS


def test_the_fetched_fonts_are_named_without_the_storage_hash() -> None:
    class Page:
        def evaluate(self, script: str, *args: Any) -> list[str]:
            assert script == fonts.FETCHED
            return [
                "http://127.0.0.1:8000/static/vendor/krds/fonts/PretendardGOV-Bold.001.cfdbedcd1bc4.woff2",
                "http://127.0.0.1:8000/static/vendor/krds/fonts/PretendardGOV-Regular.000.woff2",
            ]

    assert fonts.fetched(Page()) == ["PretendardGOV-Bold.001.woff2", "PretendardGOV-Regular.000.woff2"]


def test_the_probe_reads_the_stylesheet_the_slicer_writes() -> None:
    script = fonts.slicer()
    css = script.font_face(400, "PretendardGOV-Regular.000.woff2", {0x20, 0x21, 0x22, 0xAC00})
    css += script.font_face(700, "PretendardGOV-Bold.000.woff2", {0xD7A3})
    assert script.faces(css) == [
        Face(400, "PretendardGOV-Regular.000.woff2", frozenset({0x20, 0x21, 0x22, 0xAC00})),
        Face(700, "PretendardGOV-Bold.000.woff2", frozenset({0xD7A3})),
    ]
    assert "unicode-range:U+20-22,U+ac00}" in css


def test_a_page_s_own_face_declared_last_is_fetched_instead_of_the_slices_for_its_characters() -> None:
    """core/page_fonts.py: the page's face (after the slices) holds its rare syllables; the
    slices are still fetched for the space and for what the face lacks."""
    own = face(400, "page.woff2", "라마")
    drawn = {400: {ord(c) for c in "가라마"}}
    assert [f.file for f in fonts.needed(drawn, [*FACES, own])] == ["R.000.woff2", "R.001.woff2", "page.woff2"]
    assert [f.file for f in fonts.needed({400: {ord("가")}}, [*FACES, own])] == ["R.000.woff2", "R.001.woff2"]
