"""Hostile requests that used to give 500s or off-site links (issue 18, low 4 and 5)."""

from __future__ import annotations

import httpx
import pytest

from bot.store.store import Store
from tests.web.conftest import csrf, subscribe_form


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    return sqlite_store


def _no_trace(r: httpx.Response) -> None:
    assert "Traceback" not in r.text and 'File "' not in r.text


async def test_the_404_page_links_only_to_our_own_pages(client: httpx.AsyncClient) -> None:
    for path in (b"//evil.example/%2e%2e", b"//evil.example/", b"/%2F%2Fevil.example/x"):
        r = await client.get(client.base_url.copy_with(raw_path=path))
        assert r.status_code == 404
        assert "evil.example" not in r.text
        assert 'href="/?lang=' in r.text


async def test_a_real_page_keeps_its_language_link(client: httpx.AsyncClient) -> None:
    r = await client.get("/digests/")
    assert r.status_code == 200 and 'href="/digests/?lang=' in r.text


@pytest.mark.parametrize(
    "field",
    ["csrf", "email"],
)
async def test_non_ascii_in_form_fields_is_a_400(client: httpx.AsyncClient, field: str) -> None:
    token = await csrf(client)
    form = subscribe_form(token)
    form[field] = "ünïcödé\u202e" + form[field]
    r = await client.post("/subscribe", data=form)
    assert r.status_code == 400, r.text
    _no_trace(r)


@pytest.mark.parametrize(
    "path",
    ["/confirm/ünï.cödé", "/manage/\u00e9\u00e9.\u00e9", "/unsubscribe/%FF%FE.x",
     "/email/confirm/\u4e2d\u6587"],
)  # fmt: skip
async def test_non_ascii_tokens_are_a_400(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code in (400, 404, 410), r.text
    _no_trace(r)


async def test_a_multipart_boundary_mismatch_is_a_400(client: httpx.AsyncClient) -> None:
    token = await csrf(client)
    body = (f'--other\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
            "--other--\r\n").encode()  # fmt: skip
    r = await client.post("/subscribe", content=body,
                          headers={"content-type": "multipart/form-data; boundary=expected"})  # fmt: skip
    assert r.status_code == 400, r.text
    _no_trace(r)
    r = await client.post("/subscribe", content=b"\xff\xfe\x00garbage",
                          headers={"content-type": "multipart/form-data"})  # fmt: skip
    assert r.status_code == 400, r.text
