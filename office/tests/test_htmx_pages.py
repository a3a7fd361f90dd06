"""htmx is loaded by the pages whose markup uses it, and only by them on the public corner
(docs/adr/0034): base.html loads it in its `htmx` block, portal/base.html empties that block,
and a public page with hx- attributes fills it again with components/htmx_script.html.

The check reads the templates: a page is a template that extends base.html; what it renders
is its chain of parents and everything they include (an included template counts whole,
even when only one of its partials is rendered). A page whose rendering holds an hx-
attribute (other than the CSRF header every body carries) must load htmx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
EXTENDS = re.compile(r"{%\s*extends\s+[\"']([^\"']+)[\"']\s*%}")
INCLUDE = re.compile(r"{%\s*include\s+(\S+)")
HX_ATTRIBUTE = re.compile(r"\shx-(?!headers\b)[a-z-]+\s*=")
HTMX_BLOCK = re.compile(r"{%\s*block\s+htmx\s*%}(.*?){%\s*endblock", re.DOTALL)
LOADS_HTMX = "components/htmx_script.html"


def read(name: str) -> str:
    return COMMENT.sub("", (TEMPLATES / name).read_text())


def includes(name: str) -> set[str]:
    """The templates `name` includes (a partial "page.html#part" counts as the file)."""
    found = set()
    for argument in INCLUDE.findall(read(name)):
        assert argument[0] in "\"'", f"{name} includes a template named by a variable ({argument}): not followed"
        found.add(argument.strip("\"'").partition("#")[0])
    return found


def parent(name: str) -> str | None:
    match = EXTENDS.search(read(name))
    return match.group(1) if match else None


def chain(name: str) -> list[str]:
    """The template and its parents, nearest first."""
    names = [name]
    while (up := parent(names[-1])) is not None:
        names.append(up)
    return names


def rendered(name: str) -> set[str]:
    """Every template a page can render: its chain and all they include, transitively."""
    seen: set[str] = set()
    pending = chain(name)
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(includes(current))
    return seen


def loads_htmx(name: str) -> bool:
    """Whether the nearest `htmx` block of the page's chain loads htmx."""
    for template in chain(name):
        block = HTMX_BLOCK.search(read(template))
        if block:
            return LOADS_HTMX in block.group(1)
    return False


def pages() -> list[str]:
    everything = sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html"))
    return [name for name in everything if name != "base.html" and chain(name)[-1] == "base.html"]


def uses_htmx(name: str) -> list[str]:
    return sorted(template for template in rendered(name) if HX_ATTRIBUTE.search(read(template)))


def test_every_page_whose_markup_uses_htmx_loads_it() -> None:
    missing = {page: uses_htmx(page) for page in pages() if uses_htmx(page) and not loads_htmx(page)}
    assert not missing, (
        "pages with hx- attributes that do not load htmx (fill their htmx block with "
        f'{{% include "{LOADS_HTMX}" %}}): {missing}'
    )


def test_the_public_pages_without_hx_attributes_leave_htmx_out() -> None:
    portal_pages = [page for page in pages() if "portal/base.html" in chain(page)]
    assert len(portal_pages) > 20
    needless = [page for page in portal_pages if loads_htmx(page) and not uses_htmx(page)]
    assert not needless
    assert {"portal/home.html", "library/portal_list.html", "reports/portal/form.html"} <= set(portal_pages)
    assert not loads_htmx("portal/home.html")
    assert loads_htmx("portal/institutions.html")
    assert loads_htmx("reports/portal/start.html")  # through the institution picker
    assert loads_htmx("office/home.html")  # every office page: the bell refreshes itself


def test_the_check_sees_an_htmx_attribute_in_an_included_template() -> None:
    """The picker's hx-get reaches the start pages through an include."""
    assert "portal/_institution_picker.html" in uses_htmx("applications/portal/start.html")
    assert not uses_htmx("portal/home.html")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("portal:home", False),
        ("portal_library:list", False),
        ("accounts:login", False),
        ("portal:institutions", True),
        ("portal_reports:start", True),
    ],
)
def test_rendered_page_loads_htmx_deferred_with_the_nonce_when_it_uses_it(db: None, url: str, expected: bool) -> None:
    response = Client().get(reverse(url))
    assert response.status_code == 200
    content = response.content.decode()
    assert bool(HX_ATTRIBUTE.search(content)) is expected
    scripts = [tag for tag in re.findall(r"<script[^>]*>", content) if "vendor/htmx/htmx.min.js" in tag]
    assert len(scripts) == int(expected)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    assert all(f'nonce="{nonce}"' in tag and " defer" in tag for tag in scripts)
