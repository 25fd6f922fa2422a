"""Shared snapshots: storage bounded per client and in total, and pages that never fail."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from learn.playground import sharing
from learn.playground.models import ShareUsage, Snapshot
from tests.support import SIDECAR_POD

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def share(client, text, **headers):
    return client.post("/playground/share/", {"text": text}, headers=headers)


def spec(number: int, padding: int = 0) -> str:
    """A distinct spec (snapshots are content-addressed), padded to about `padding` bytes."""
    return SIDECAR_POD.replace("name: shop,", f"name: shop-{number},") + "#" * padding + "\n"


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def key_of(address: str) -> str:
    return sharing.client_key(RequestFactory().get("/", REMOTE_ADDR=address))


def test_a_snapshot_larger_than_its_own_limit_is_refused_with_a_message(client, settings):
    settings.SNAPSHOT_MAX_BYTES = 2048
    response = share(client, spec(1, padding=3000))
    assert response.status_code == 400
    assert "2 KB" in response.content.decode()
    assert response.context["chosen"].text == spec(1, padding=3000)  # the text stays
    assert not Snapshot.objects.exists()


def test_one_client_shares_at_most_its_daily_allowance(settings):
    settings.SNAPSHOT_BYTES_PER_CLIENT_PER_DAY = 10_000
    greedy, other = from_address("203.0.113.7"), from_address("198.51.100.9")
    codes = [share(greedy, spec(n, padding=2000)).status_code for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    refused = share(greedy, spec(99))
    assert "today" in refused.content.decode()
    assert share(other, spec(100)).status_code == 302
    assert Snapshot.objects.count() == 4
    assert ShareUsage.objects.get(client=key_of("203.0.113.7")).bytes <= 10_000


def test_sharing_a_spec_again_costs_nothing(settings):
    settings.SNAPSHOT_BYTES_PER_CLIENT_PER_DAY = 5_000
    sharer = from_address("203.0.113.7")
    first = share(sharer, spec(1, padding=2000))
    assert [share(sharer, spec(1, padding=2000))["Location"] for _ in range(5)] == [
        first["Location"]
    ] * 5


def test_clients_in_one_ipv6_network_share_one_allowance(settings):
    settings.SNAPSHOT_BYTES_PER_CLIENT_PER_DAY = 5_000
    assert share(from_address("2001:db8::1"), spec(1, padding=3000)).status_code == 302
    assert share(from_address("2001:db8::2"), spec(2, padding=3000)).status_code == 429
    assert share(from_address("2001:db8:0:1::1"), spec(3, padding=3000)).status_code == 302


def test_the_daily_allowance_is_counted_in_the_database_not_kept_as_addresses():
    share(from_address("203.0.113.7"), spec(1))
    usage = ShareUsage.objects.get()
    assert "203.0.113" not in usage.client
    assert usage.bytes == Snapshot.objects.get().size > len(spec(1))


def test_when_the_store_is_full_the_oldest_unopened_snapshots_make_room(settings):
    settings.SNAPSHOT_STORAGE_BYTES = 13_000
    sharer, reader = from_address("203.0.113.7"), from_address("198.51.100.9")
    first = share(sharer, spec(1, padding=3000))["Location"]
    second = share(sharer, spec(2, padding=3000))["Location"]
    share(sharer, spec(3, padding=3000))
    sharer.get(second)  # the sharer looking at their own link does not keep it
    reader.get(first)  # someone else opened this one: it stays

    assert share(sharer, spec(4, padding=3000)).status_code == 302

    assert reader.get(first).status_code == 200
    assert reader.get(second).status_code == 404
    assert sum(Snapshot.objects.values_list("size", flat=True)) <= 13_000


def test_when_every_snapshot_was_opened_the_least_recently_opened_makes_room(settings):
    settings.SNAPSHOT_STORAGE_BYTES = 9_000
    sharer, reader = from_address("203.0.113.7"), from_address("198.51.100.9")
    first, second = (share(sharer, spec(n, padding=3000))["Location"] for n in (1, 2))
    for link in (first, second):
        reader.get(link)
    Snapshot.objects.filter(pk=_id(first)).update(last_used=timezone.now() - timedelta(days=3))
    Snapshot.objects.filter(pk=_id(second)).update(last_used=timezone.now() - timedelta(days=5))
    reader.get(first)  # opened again: used more recently than the second, though older

    third = share(sharer, spec(3, padding=3000))

    assert third.status_code == 302
    assert reader.get(first).status_code == 200
    assert reader.get(second).status_code == 404
    assert reader.get(third["Location"]).status_code == 200
    # A store full of opened snapshots keeps taking new ones.
    assert share(sharer, spec(4, padding=3000)).status_code == 302
    assert sum(Snapshot.objects.values_list("size", flat=True)) <= 9_000


def test_a_store_too_small_for_a_snapshot_refuses_with_a_message(settings):
    settings.SNAPSHOT_STORAGE_BYTES = 1_000
    sharer = from_address("203.0.113.7")
    refused = share(sharer, spec(3, padding=3000))
    assert refused.status_code == 503
    assert "full" in refused.content.decode()
    assert refused.context["chosen"].text == spec(3, padding=3000)
    with_htmx = share(sharer, spec(3, padding=3000), **HX)
    assert "full" in with_htmx.content.decode()
    assert not Snapshot.objects.exists()
    # The refused share was not charged to the sharer's allowance.
    assert ShareUsage.objects.get().bytes == 0


def _id(location: str) -> str:
    return location.strip("/").split("/")[-1]


def test_someone_else_loading_a_snapshots_picture_keeps_it(settings):
    sharer, reader = from_address("203.0.113.7"), from_address("198.51.100.9")
    link = share(sharer, spec(1))["Location"]
    sharer.get(link + "diagram.svg")
    assert not Snapshot.objects.get().opened
    reader.get(link + "diagram.png")
    assert Snapshot.objects.get().opened


def test_a_snapshot_picture_the_browser_holds_is_not_sent_again():
    sharer = from_address("203.0.113.7")
    link = share(sharer, spec(1))["Location"]
    first = sharer.get(link + "diagram.svg", {"download": 1})
    again = sharer.get(link + "diagram.svg", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "max-age" in again["Cache-Control"]
    assert "attachment" in first["Content-Disposition"]


def test_the_previous_release_can_still_share_during_a_rolling_update():
    """Its inserts do not name the columns this release added: the database fills them in."""
    from django.db import connection

    table = connection.ops.quote_name(Snapshot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, text, kubernetes_version, profile, created_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            ["oldrelease01", spec(1), "1.35", "learning", timezone.now()],
        )
    snapshot = Snapshot.objects.get()
    assert (snapshot.size, snapshot.client, snapshot.opened) == (0, "", False)
    assert timezone.now() - snapshot.last_used < timedelta(minutes=1)


def test_a_refusal_with_htmx_comes_back_where_the_results_go(settings):
    settings.SNAPSHOT_BYTES_PER_CLIENT_PER_DAY = 1_000
    response = share(from_address("203.0.113.7"), spec(1, padding=2000), **HX)
    assert response.status_code == 429
    assert 'id="results"' in response.content.decode()
    assert "<html" not in response.content.decode()


BREAKS_THE_ENGINE = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: []\n"


@pytest.fixture
def engine_failure(monkeypatch):
    """The engine failing on a stored spec, the way thousands of digits once made it fail."""
    from learn.playground import workbench
    from learn.podspec import diagram as diagram_module

    def broken(*args, **kwargs):
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")

    monkeypatch.setattr(workbench, "check", broken)
    monkeypatch.setattr(diagram_module, "check", broken)


def test_a_snapshot_the_engine_cannot_check_still_opens_with_a_message(client, engine_failure):
    snapshot = Snapshot.objects.create(
        id="breaksengine", text=BREAKS_THE_ENGINE, kubernetes_version="1.35", profile="learning"
    )
    page = client.get(f"/p/{snapshot.pk}/")
    assert page.status_code == 200
    assert "could not be checked" in page.content.decode()
    assert BREAKS_THE_ENGINE.splitlines()[3] in page.content.decode()  # the spec is still shown
    assert client.get(f"/p/{snapshot.pk}/embed").status_code == 200
    svg = client.get(f"/p/{snapshot.pk}/diagram.svg")
    png = client.get(f"/p/{snapshot.pk}/diagram.png", {"theme": "dark"})
    # Pictures that say why, as a diagram URL's are: an <img> of a text body shows a broken icon.
    assert (svg.status_code, svg["Content-Type"]) == (422, "image/svg+xml")
    assert (
        "Cannot draw this pod diagram: the checker failed on this snapshot" in svg.content.decode()
    )
    assert (png.status_code, png["Content-Type"]) == (422, "image/png")
    assert png.content.startswith(b"\x89PNG")
    opened = client.get("/playground/", {"from": snapshot.pk})
    assert opened.status_code == 200
    assert opened.context["chosen"].text == BREAKS_THE_ENGINE


def test_a_snapshot_from_a_version_no_longer_shipped_still_opens(client):
    snapshot = Snapshot.objects.create(
        id="oldversion1", text=SIDECAR_POD, kubernetes_version="1.20", profile="learning"
    )
    assert client.get(f"/p/{snapshot.pk}/").status_code == 200
    assert client.get(f"/p/{snapshot.pk}/diagram.svg").status_code == 200
    assert (
        client.get("/playground/", {"from": snapshot.pk}).context["chosen"].kubernetes_version
        == "1.37"
    )


def test_a_snapshot_with_nothing_to_draw_has_a_picture_that_says_so(client):
    snapshot = Snapshot.objects.create(
        id="nopodhere1", text="kind: ConfigMap\n", kubernetes_version="1.35", profile="learning"
    )
    svg = client.get(f"/p/{snapshot.pk}/diagram.svg")
    assert (svg.status_code, svg["Content-Type"]) == (422, "image/svg+xml")
    assert "Cannot draw this pod diagram: nothing to draw" in svg.content.decode()


def test_an_engine_failure_sizing_an_oembed_answer_is_logged(client, engine_failure, caplog):
    snapshot = Snapshot.objects.create(
        id="breaksoembed", text=BREAKS_THE_ENGINE, kubernetes_version="1.35", profile="learning"
    )
    answer = client.get("/oembed", {"url": f"http://testserver/p/{snapshot.pk}/"})
    assert answer.status_code == 200  # sized as the embed's message is
    logged = [r for r in caplog.records if "the engine failed" in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None
    assert answer.json()["title"] == "Pod spec breaksoembed"  # as its page is titled
    assert "Exceeds the limit" in caplog.text
