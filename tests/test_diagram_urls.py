"""Stateless diagram URLs: the spec in the URL, rendered as SVG or PNG, cacheable, bounded."""

import base64
import zlib

import pytest

from learn.podspec import share
from tests.support import SIDECAR_POD

# Drawn pictures are kept, and drawing spends from the client's budget, in the database.
pytestmark = pytest.mark.django_db
CODE = share.encode(SIDECAR_POD)


def test_codes_round_trip_and_match_kroki_encoding():
    assert share.decode(CODE) == SIDECAR_POD
    kroki = base64.urlsafe_b64encode(zlib.compress(SIDECAR_POD.encode(), 9)).decode()
    assert share.decode(kroki) == SIDECAR_POD  # padding or not


def test_svg(client):
    response = client.get(f"/diagram/svg/{CODE}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b'role="img"' in response.content
    assert b"<style>" in response.content  # standalone: it carries its own colours
    assert "max-age=31536000" in response["Cache-Control"]


def test_a_plain_svg_for_programs_that_ignore_css(client):
    plain = client.get(f"/diagram/svg/{CODE}", {"plain": "1", "width": "auto"})
    assert plain.status_code == 200
    assert b"<style" not in plain.content
    assert b'stroke="#1c6b3a"' in plain.content  # light colours on each shape
    assert b'width="' not in plain.content.split(b">")[0]  # and still sized as asked
    assert plain["ETag"] != client.get(f"/diagram/svg/{CODE}", {"width": "auto"})["ETag"]
    for query, message in (({"plain": "yes"}, b"plain=1"), ({"plain": "1"}, b"for SVG")):
        refused = client.get(f"/diagram/{'png' if query['plain'] == '1' else 'svg'}/{CODE}", query)
        assert refused.status_code == 400
        if refused["Content-Type"] == "image/svg+xml":
            assert message in refused.content


def test_png_and_dark_theme(client):
    response = client.get(f"/diagram/png/{CODE}", {"theme": "dark"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_same_url_same_etag_and_304(client):
    first = client.get(f"/diagram/svg/{CODE}")
    again = client.get(f"/diagram/svg/{CODE}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert client.get(f"/diagram/svg/{CODE}", {"theme": "dark"})["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/diagram/svg/not*base64", 400, "not URL-safe base64"),
        ("/diagram/svg/" + base64.urlsafe_b64encode(b"plain text").decode(), 400, "not deflate"),
        ("/diagram/gif/" + CODE, 404, "unknown format"),
        ("/diagram/svg/" + share.encode("kind: ["), 422, "nothing to draw"),
        ("/diagram/svg/" + share.encode("a" * 70_000), 400, "larger than 64 KB"),
        ("/diagram/svg/" + "A" * 17_000, 400, "longer than 16,384"),
    ],
)
def test_bad_urls_get_clear_messages(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_theme_must_be_known(client):
    assert client.get(f"/diagram/svg/{CODE}", {"theme": "pink"}).status_code == 400


def test_specs_with_errors_are_still_drawn(client):
    broken = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")
    response = client.get("/diagram/svg/" + share.encode(broken))
    assert response.status_code == 200
    assert b"undefined-volume" in response.content


def test_diagram_and_snapshot_pictures_are_kept_under_distinct_keys():
    from learn.diagrams.views import picture_key

    assert picture_key("diagram", "svg", "light", "abc") != picture_key(
        "snapshot", "svg", "light", "abc"
    )


def test_codes_must_be_strict_base64():
    with pytest.raises(share.BadCode, match="not URL-safe base64"):
        share.decode("!!!!")


def test_standalone_svgs_may_use_their_own_styles(client):
    response = client.get("/diagram/svg/" + CODE)
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
