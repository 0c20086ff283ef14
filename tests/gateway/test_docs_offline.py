"""`/docs` and `/redoc` work on a node without internet access: everything the pages load
comes from the node itself, answers, and has the type a browser requires of it."""

from __future__ import annotations

import urllib.parse
from html.parser import HTMLParser

import httpx
import pytest

# What a browser accepts for each kind of asset when the answer says `nosniff` (the WHATWG
# Fetch standard's "JavaScript MIME type" and CSS rules), by the URL's extension.
EXPECTED_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
}


class _LoadedUrls(HTMLParser):
    """Every URL the page makes the browser load: scripts, stylesheets, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img"} and values.get("src"):
            self.urls.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))


def loaded_urls(page: str) -> list[str]:
    parser = _LoadedUrls()
    parser.feed(page)
    return parser.urls


@pytest.mark.parametrize(
    ("page", "script_global"), [("/docs", "SwaggerUIBundle"), ("/redoc", "Redoc")]
)
async def test_the_docs_pages_load_everything_from_the_node(
    gateway: httpx.AsyncClient, page: str, script_global: str
) -> None:
    response = await gateway.get(page)
    assert response.status_code == 200
    urls = loaded_urls(response.text)
    assert any(urllib.parse.urlsplit(url).path.endswith(".js") for url in urls), urls
    origin = urllib.parse.urlsplit(str(gateway.base_url))
    for url in urls:
        resolved = urllib.parse.urlsplit(urllib.parse.urljoin(str(response.url), url))
        assert (resolved.scheme, resolved.netloc) == (origin.scheme, origin.netloc), url
        asset = await gateway.get(url)
        assert asset.status_code == 200, url
        extension = resolved.path[resolved.path.rfind(".") :]
        media_type = asset.headers["content-type"].split(";")[0].strip()
        assert media_type in EXPECTED_TYPES[extension], (url, media_type)
        if extension == ".js":
            assert script_global in asset.text  # the real library, not an error page
    # The page's policy lets nothing come from anywhere else.
    policy = response.headers["content-security-policy"]
    sources = [source for part in policy.split("; ") for source in part.split()[1:]]
    assert not [source for source in sources if "." in source or "://" in source], policy


async def test_an_unknown_docs_asset_is_a_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/docs/assets/..%2Fapi_docs.py")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
