"""Rate limits: atomic counts shared by every worker, clients told apart behind proxies, and a
limit (or a kept picture) on every route that makes the server work."""

import logging
import threading
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory

from learn.core.limits import clients, counters, rates
from learn.core.limits.clients import client_address
from learn.core.limits.models import Counter
from learn.playground.models import Snapshot
from learn.podspec import share
from learn.podspec.diagram import diagram, png_pixels
from tests.support import SIDECAR_POD, engine_budget, manage, setting
from tests.test_quizzes import SPEC, WRITE_SPEC, answer

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
PASSWORD = "correct-horse-battery-9"
NOW = 1_900_000_040.0  # 20 s into a minute, so a test's counts all fall in one window
ELSEWHERE = "198.51.100.7"  # another client's address
MANY_CONTAINERS = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: many}\nspec:\n  containers:\n"
    + "".join(f"    - {{name: c{i}, image: nginx}}\n" for i in range(200))
)


# Parallel requests ---------------------------------------------------------------------------


def in_thread(task):
    """task() in a new thread, with its own database connection (closed after); its result."""
    results = in_parallel(task, times=1, threads=1)
    return results[0]


def in_parallel(task, times: int, threads: int = 8) -> list:
    """task() `times` times from `threads` threads released together, each with its own
    database connection, as gunicorn's workers have; the results."""
    start = threading.Event()
    results, errors = [], []

    def work(count: int) -> None:
        start.wait()
        try:
            for _ in range(count):
                results.append(task())
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connections.close_all()

    shares = [times // threads + (i < times % threads) for i in range(threads)]
    workers = [threading.Thread(target=work, args=(n,)) for n in shares if n]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


@pytest.fixture
def parallel_db(transactional_db, tmp_path):
    """A database that threads write to in parallel, as the site's workers do: on PostgreSQL the
    test database; on SQLite a migrated file, like `make serve`'s (the in-memory test database
    fails a second writer at once, "database table is locked", where a file waits its turn).
    While it is swapped in, only threads (in_thread, in_parallel) may use the database."""
    if connection.vendor != "sqlite":
        yield
        return
    memory = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(tmp_path / "parallel.sqlite3")
    try:
        in_thread(lambda: call_command("migrate", verbosity=0))
        yield
    finally:
        connection.settings_dict["NAME"] = memory


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Every count falls in the same window, however long the test takes: on the real clock a
    test that crossed a minute (a slow PNG) found a fresh budget, and failed now and then."""
    clock = SimpleNamespace(time=lambda: NOW)
    monkeypatch.setattr(rates, "time", clock)
    monkeypatch.setattr("learn.accounts.forms.time", clock)


@pytest.fixture(autouse=True)
def purges_as_in_a_new_process():
    """Tests that hold purges back leave the next test's counting as a new process finds it."""
    yield
    counters.schedule_purge(0.0)


def check(client_or_none=None, text=SIDECAR_POD, **meta):
    client = client_or_none or Client()
    data = {"text": text, "kubernetes_version": "1.35", "profile": "learning"}
    return client.post("/playground/", data, headers=HX, **meta)


# Counting --------------------------------------------------------------------------------------


def test_parallel_counts_are_each_counted_once(parallel_db):
    totals = in_parallel(lambda: counters.add("test:parallel", 60, now=NOW), times=200)
    assert sorted(totals) == list(range(1, 201))


def test_parallel_requests_pass_a_limit_exactly_as_often_as_it_allows(parallel_db):
    waits = in_parallel(lambda: rates.spend_on("test", "192.0.2.1", 40, now=NOW), times=200)
    assert waits.count(0) == 40
    assert all(0 < wait <= 40 for wait in waits if wait)  # the window ends 40 s after NOW


def test_parallel_checks_let_exactly_the_limit_through(parallel_db, settings):
    engine_budget(settings, 10)
    statuses = in_parallel(lambda: check().status_code, times=40)
    assert statuses.count(200) == 10
    assert statuses.count(429) == 30


def test_parallel_wrong_passwords_are_tried_only_five_times(parallel_db, settings):
    settings.PASSWORD_HASHES_PER_MINUTE = 1000  # the limit on any password post, tested below
    in_thread(lambda: get_user_model().objects.create_user("ada", password=PASSWORD))

    def guess() -> int:
        fields = {"username": "ada", "password": "wrong"}
        return Client().post("/accounts/login/", fields).status_code

    statuses = in_parallel(guess, times=60)
    assert statuses.count(200) == 5  # checked, and wrong
    assert statuses.count(429) == 55  # refused before the password was checked


def test_a_count_is_one_statement(db, django_assert_num_queries, monkeypatch):
    counters.schedule_purge(NOW + 60)
    with django_assert_num_queries(1):
        assert rates.spend_on("engine", "192.0.2.1", 120, now=NOW) == 0


def test_the_sign_in_throttle_outlasts_thousands_of_other_counts(client, django_user_model):
    # Django's database cache kept 300 entries and culled the sign-in throttle's first.
    django_user_model.objects.create_user("ada", password=PASSWORD)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
    for number in range(1000):
        rates.spend_on("engine", f"10.0.{number // 250}.{number % 250}", 120)
    refused = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert refused.status_code == 429


def test_ended_windows_are_deleted_in_bounded_batches(db, monkeypatch):
    counters.schedule_purge(float("inf"))  # only the purges called here
    for number in range(5):
        counters.add(f"old:{number}", 60, now=NOW - 600)
    counters.add("current", 60, now=NOW)
    assert counters.purge(NOW, batch=3) == 3
    assert counters.purge(NOW, batch=3) == 2
    assert list(Counter.objects.values_list("key", flat=True)) == ["current"]


def test_counting_now_and_then_deletes_ended_windows(db, monkeypatch):
    counters.add("old", 60, now=NOW - 600)
    counters.schedule_purge(0.0)
    counters.add("current", 60, now=NOW)
    assert list(Counter.objects.values_list("key", flat=True)) == ["current"]


def old_counters(number: int) -> None:
    """`number` counters of a window that ended ten minutes ago, as a flood of new addresses
    leaves them."""
    for index in range(number):
        counters.add(f"old:{index}", 60, now=NOW - 600)


def test_counting_deletes_more_ended_windows_than_one_batch(db, monkeypatch):
    counters.schedule_purge(float("inf"))
    old_counters(7)
    monkeypatch.setattr(counters, "PURGE_BATCH", 2)
    counters.schedule_purge(0.0)
    counters.add("current", 60, now=NOW)
    assert list(Counter.objects.values_list("key", flat=True)) == ["current"]


def test_a_purge_out_of_time_comes_back_soon_for_the_rest(db, monkeypatch):
    counters.schedule_purge(float("inf"))
    old_counters(5)
    monkeypatch.setattr(counters, "PURGE_BATCH", 2)
    monkeypatch.setattr(counters, "PURGE_SECONDS", 0)  # one batch, then no time left
    counters.schedule_purge(0.0)
    counters.add("current", 60, now=NOW)
    assert Counter.objects.count() == 4  # 3 old ones left
    counters.add("current", 60, now=NOW + 0.5)  # not yet
    assert Counter.objects.count() == 4
    monkeypatch.setattr(counters, "PURGE_SECONDS", 10)
    counters.add("current", 60, now=NOW + counters.PURGE_AGAIN)
    assert list(Counter.objects.values_list("key", flat=True)) == ["current"]


def test_counters_keep_no_address_or_name(db):
    rates.spend_on("sign-in", "192.0.2.1\nada", 5)
    (key,) = Counter.objects.values_list("key", flat=True)
    assert key.startswith("sign-in:")
    assert "192.0.2.1" not in key
    assert "ada" not in key


# Telling clients apart -----------------------------------------------------------------------


def address(hops=0, remote="10.0.0.2", forwarded=None, settings=None) -> str:
    settings.TRUSTED_PROXY_HOPS = hops
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    assert address(0, "192.0.2.9", "203.0.113.5", settings=settings) == "192.0.2.9"


@pytest.mark.parametrize(
    ("hops", "forwarded", "client"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote the first one
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8:1:2:3::4]:443", "2001:db8:1:2::/64"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_behind_proxies_the_address_the_outermost_one_saw_counts(settings, hops, forwarded, client):
    assert address(hops, "10.0.0.2", forwarded, settings=settings) == client


def test_ipv6_clients_are_counted_by_their_64_network(settings):
    one = address(0, "2001:db8:aa:bb:1::1", settings=settings)
    assert one == address(0, "2001:db8:aa:bb:ffff::2", settings=settings) == "2001:db8:aa:bb::/64"
    assert one != address(0, "2001:db8:aa:bc::1", settings=settings)


def test_a_wrong_number_of_proxies_is_logged_once(settings, caplog, monkeypatch):
    clients.forget_warnings()
    with caplog.at_level(logging.WARNING, logger="learn.core.limits.clients"):
        for _ in range(3):  # a proxy in front, but no hops configured: one bucket for all
            assert address(0, "10.0.0.2", "203.0.113.5", settings=settings) == "10.0.0.2"
        for _ in range(3):  # hops configured, but the request came straight to the server
            assert address(1, "192.0.2.9", settings=settings) == "192.0.2.9"
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "every client shares the proxy's rate limits" in messages[0]
    assert "clients can otherwise choose the address" in messages[1]


def test_clients_behind_one_proxy_have_their_own_limits(client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    engine_budget(settings, 1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert check(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 200
    assert check(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    assert check(Client(), HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200


def test_without_proxies_a_forged_header_does_not_escape_the_limit(client, settings):
    engine_budget(settings, 1)
    assert check(client, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
    assert check(client, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 429


def test_the_old_switch_still_means_one_proxy():
    assert setting("settings.TRUSTED_PROXY_HOPS", DJANGO_DEBUG="1") == "0"
    assert (
        setting("settings.TRUSTED_PROXY_HOPS", DJANGO_DEBUG="1", DJANGO_TRUST_X_FORWARDED_FOR="1")
        == "1"
    )


def test_a_proxy_count_that_is_not_a_number_stops_start_up_with_a_clear_message():
    assert (
        setting("settings.TRUSTED_PROXY_HOPS", DJANGO_DEBUG="1", DJANGO_TRUSTED_PROXY_HOPS="")
        == "0"
    )
    result = manage("check", DJANGO_DEBUG="1", DJANGO_TRUSTED_PROXY_HOPS="true")
    assert result.returncode != 0
    assert result.stderr == (
        "manage.py: DJANGO_TRUSTED_PROXY_HOPS must be a whole number, 0 or more, not 'true'\n"
    )


# The engine's budget ---------------------------------------------------------------------------


def test_checks_cost_by_size_and_a_png_costs_more():
    assert rates.engine_cost("") == 1
    assert rates.engine_cost("a" * 4096) == 1
    assert rates.engine_cost("a" * 4097) == 2
    assert rates.engine_cost("a" * 256 * 1024) == 64


def test_a_png_costs_by_the_pixels_it_draws():
    small = diagram(SIDECAR_POD)  # 1209 x 449: drawn at twice its size, 2418 x 898 pixels
    assert png_pixels(small) == 2418 * 898
    assert rates.png_cost(png_pixels(small)) == 9
    assert rates.png_cost(png_pixels(small, scale=0.5)) == 1
    # 200 containers side by side: 15,900 pixels wide before it is fitted into 8 megapixels.
    wide = diagram(MANY_CONTAINERS)
    assert png_pixels(wide) <= 8_000_000
    assert rates.png_cost(png_pixels(wide)) == 31


def test_a_large_spec_spends_more_of_the_budget(client, settings):
    engine_budget(settings, 10)
    large = SIDECAR_POD + "#" * (9 * 4096)
    assert check(client, large).status_code == 200  # 10 units
    refused = check(client)
    assert refused.status_code == 429
    assert "a large spec counts as several" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    assert check(client, REMOTE_ADDR=ELSEWHERE).status_code == 200


def test_a_spec_in_the_playground_url_is_a_check(client, settings):
    engine_budget(settings, 1)
    assert client.get("/playground/").status_code == 200  # an example: ours, not counted
    assert client.get("/playground/", {"text": SIDECAR_POD}).status_code == 200
    assert client.get("/playground/", {"text": SIDECAR_POD}).status_code == 429
    assert client.get("/playground/").status_code == 200


# Diagram URLs and snapshots ------------------------------------------------------------------


def diagram_url(fmt: str, number: int) -> str:
    return f"/diagram/{fmt}/{share.encode(SIDECAR_POD.replace('name: web', f'name: web{number}'))}"


def test_diagram_urls_are_limited_per_client_but_kept_pictures_are_free(client, settings):
    engine_budget(settings, 2)
    assert client.get(diagram_url("svg", 1)).status_code == 200
    assert client.get(diagram_url("svg", 2)).status_code == 200
    refused = client.get(diagram_url("svg", 3))
    assert refused.status_code == 429
    assert refused["Cache-Control"] == "no-store"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "too many requests" in refused.content.decode()
    kept = client.get(diagram_url("svg", 1))  # drawn before: served from the renderings cache
    assert kept.status_code == 200
    assert kept.content.startswith(b"<svg")
    assert client.get(diagram_url("svg", 3), REMOTE_ADDR=ELSEWHERE).status_code == 200


def test_a_png_spends_more_than_an_svg(client, settings):
    engine_budget(settings, 1 + 9)  # the spec, and a 2418 x 898 px PNG
    assert client.get(diagram_url("png", 1)).status_code == 200
    assert client.get(diagram_url("svg", 2)).status_code == 429
    assert client.get(diagram_url("png", 1)).content.startswith(b"\x89PNG")  # kept


def test_a_huge_png_is_refused_where_small_ones_are_drawn(client, settings):
    engine_budget(settings, 20)
    huge = f"/diagram/png/{share.encode(MANY_CONTAINERS)}"
    refused = client.get(huge)
    assert refused.status_code == 429
    assert refused.content.startswith(b"\x89PNG")  # a picture of the reason
    assert client.get(diagram_url("png", 1), {"scale": "0.5"}).status_code == 200


def test_a_client_without_cookies_gets_several_pngs_a_minute(settings):
    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = 60  # the default
    lms_page = Client(REMOTE_ADDR=ELSEWHERE)  # an <img> on another site: no cookie comes back
    first = lms_page.get(diagram_url("png", 1))
    assert first.status_code == 200
    assert clients.CLIENT_COOKIE not in first.cookies  # a cacheable picture hands out none
    assert lms_page.get(diagram_url("png", 1), {"width": "1600"}).status_code == 200
    # 10 units a PNG (5 at 1600 px wide): six pictures in a minute, then a wait.
    assert [lms_page.get(diagram_url("png", n)).status_code for n in range(2, 7)] == [200] * 4 + [
        429
    ]
    assert lms_page.get(diagram_url("png", 1)).status_code == 200  # drawn before: free
    assert lms_page.get(diagram_url("png", 1), {"width": "1600"}).status_code == 200


def test_a_refused_request_hands_out_no_client_cookie(settings):
    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = 1
    assert clients.CLIENT_COOKIE in check(pupil()).cookies
    refused = check(pupil())
    assert refused.status_code == 429
    assert clients.CLIENT_COOKIE not in refused.cookies


def test_pictures_too_large_to_keep_are_drawn_each_time(client, settings):
    engine_budget(settings, 1)
    settings.RENDERING_CACHE_MAX_BYTES = 100
    assert client.get(diagram_url("svg", 1)).status_code == 200
    assert client.get(diagram_url("svg", 1)).status_code == 429  # not kept: drawn again


def snapshot(text=SIDECAR_POD) -> Snapshot:
    key = Snapshot.key_for(text, "1.35", "learning")
    return Snapshot.objects.create(id=key, text=text, kubernetes_version="1.35", profile="learning")


def test_snapshot_pages_are_limited_per_client(client, settings):
    engine_budget(settings, 3)
    pk = snapshot().pk
    pages = [f"/p/{pk}/", f"/p/{pk}/embed", f"/playground/?from={pk}"]
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    refused = client.get(pages[0])
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client.get(pages[1]).status_code == 429
    opened = client.get(pages[2])
    assert opened.status_code == 429
    assert "name: web" in opened.content.decode()  # the spec is still shown
    elsewhere = Client()
    assert [elsewhere.get(page, REMOTE_ADDR=ELSEWHERE).status_code for page in pages] == [200] * 3


def test_snapshot_images_are_kept_and_revalidated(client, settings):
    engine_budget(settings, 1)
    url = f"/p/{snapshot().pk}/diagram.svg"
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    again = client.get(url)  # the budget is spent, but this picture is kept
    assert again.status_code == 200
    assert again.content == first.content
    assert client.get(url, {"theme": "dark"}).status_code == 429  # a new picture
    assert client.get(url, {"theme": "dark"}, REMOTE_ADDR=ELSEWHERE).status_code == 200


# Accounts and classes --------------------------------------------------------------------------


def sign_up(username: str, **meta):
    fields = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return Client().post("/accounts/signup/", fields, **meta)


CEILINGS = {
    "PASSWORD_HASHES_PER_MINUTE": 10,
    "SIGNUPS_PER_HOUR": 30,
    "PASSWORD_RESETS_PER_HOUR": 10,
    "PASSWORD_RESET_MAILS_PER_HOUR": 3,
    "CLASS_JOINS_PER_MINUTE": 20,
    "FAILED_SIGN_INS_PER_NAME": 5,
    "FAILED_SIGN_INS_PER_ADDRESS": 20,
    "PLAYGROUND_CHECKS_PER_MINUTE": 120,
    "PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE": 1200,
    "PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE": 60,
}


def test_every_ceiling_per_address_is_read_from_the_environment():
    # A class behind one school address shares every ceiling; its operator raises them.
    names = ", ".join(f"settings.{name}" for name in CEILINGS)
    assert setting(f"[{names}]", DJANGO_DEBUG="1") == str(list(CEILINGS.values()))
    raised = {name: str(most * 10) for name, most in CEILINGS.items()}
    assert setting(f"[{names}]", DJANGO_DEBUG="1", **raised) == str(
        [most * 10 for most in CEILINGS.values()]
    )


def test_sign_ups_are_limited_per_address(settings, django_user_model):
    settings.SIGNUPS_PER_HOUR = 2
    assert [sign_up(name).status_code for name in ("ada", "bob")] == [302, 302]
    refused = sign_up("cy")
    assert refused.status_code == 429
    assert "Too many sign-up attempts from your address" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert sign_up("cy", REMOTE_ADDR=ELSEWHERE).status_code == 302
    assert django_user_model.objects.count() == 3


def test_password_resets_are_limited_per_address_and_mails_per_e_mail(
    client, settings, django_user_model, mailoutbox
):
    settings.PASSWORD_RESETS_PER_HOUR = 4
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 2
    django_user_model.objects.create_user("ada", "ada@example.org", PASSWORD)
    reset = "/accounts/password/reset/"
    statuses = [client.post(reset, {"email": "ADA@example.org"}).status_code for _ in range(4)]
    assert statuses == [302] * 4  # the page says the same whether a mail went or not
    assert len(mailoutbox) == 2
    refused = client.post(reset, {"email": "ada@example.org"})
    assert refused.status_code == 429
    assert "password resets" in refused.content.decode()
    elsewhere = client.post(reset, {"email": "ada@example.org"}, REMOTE_ADDR=ELSEWHERE)
    assert elsewhere.status_code == 302
    assert len(mailoutbox) == 2  # that address has had its mails this hour, from anywhere


def test_a_throttled_sign_in_is_a_429_for_that_address_only(client, django_user_model):
    django_user_model.objects.create_user("ada", password=PASSWORD)
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 200
        )
    refused = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    fields = {"username": "ada", "password": PASSWORD}
    assert client.post("/accounts/login/", fields, REMOTE_ADDR=ELSEWHERE).status_code == 302


def test_the_failed_sign_in_ceilings_are_settings(client, settings, django_user_model):
    settings.FAILED_SIGN_INS_PER_NAME = 2
    settings.FAILED_SIGN_INS_PER_ADDRESS = 3
    django_user_model.objects.create_user("ada", password=PASSWORD)
    django_user_model.objects.create_user("bob", password=PASSWORD)

    def sign_in(name: str, password: str = "x", **meta) -> int:
        return client.post("/accounts/login/", {"username": name, "password": password}, **meta)

    assert [sign_in("ada").status_code for _ in range(3)] == [200, 200, 429]  # per name
    assert sign_in("bob").status_code == 200
    assert sign_in("bob", PASSWORD).status_code == 429  # three failures from this address
    assert sign_in("bob", PASSWORD, REMOTE_ADDR=ELSEWHERE).status_code == 302


def test_a_successful_sign_in_is_not_a_failure(client, django_user_model):
    django_user_model.objects.create_user("ada", password=PASSWORD)
    for _ in range(4):
        client.post("/accounts/login/", {"username": "ada", "password": "x"})
    for _ in range(3):
        assert (
            client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
            == 302
        )
        client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 200


def test_posts_that_hash_a_password_are_limited_per_address(client, settings, django_user_model):
    settings.PASSWORD_HASHES_PER_MINUTE = 3
    django_user_model.objects.create_user("ada", password=PASSWORD)
    fields = {"username": "ada", "password": PASSWORD}
    for _ in range(2):  # right passwords, so the failure throttle never counts
        assert client.post("/accounts/login/", fields).status_code == 302
        client.post("/accounts/logout/")
    assert sign_up("bob").status_code == 302
    refused = client.post("/accounts/login/", fields)
    assert refused.status_code == 429
    assert "checking one takes a while on purpose" in refused.content.decode()
    assert sign_up("cy").status_code == 429
    assert client.post("/accounts/login/", fields, REMOTE_ADDR=ELSEWHERE).status_code == 302
    change = {"old_password": PASSWORD, "new_password1": "x", "new_password2": "x"}
    assert (
        client.post("/accounts/password/change/", change, REMOTE_ADDR=ELSEWHERE).status_code == 200
    )
    assert client.post("/accounts/password/change/", change).status_code == 429


def test_joining_a_class_is_limited_per_address(client, settings, django_user_model):
    settings.CLASS_JOINS_PER_MINUTE = 2
    client.force_login(django_user_model.objects.create_user("ada"))
    statuses = [client.post("/classes/join/", {"code": "NOPE-NOPE"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert (
        "Too many attempts to join" in client.post("/classes/join/", {"code": "X"}).content.decode()
    )


# Learners behind one address -------------------------------------------------------------------

SCHOOL = "203.0.113.40"  # a school's one address, its NAT
TYPING = 24  # checks one learner typing makes in a minute (htmx checks after each pause)
TYPED = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx:1.27}]\n"


def pupil(**meta) -> Client:
    """A browser behind the school's address (it keeps its cookies, as a browser does)."""
    return Client(REMOTE_ADDR=SCHOOL, **meta)


def known_pupil() -> Client:
    """A pupil's browser after its first check, which gave it its client cookie."""
    browser = pupil()
    assert clients.CLIENT_COOKIE in check(browser).cookies
    return browser


def test_five_learners_behind_one_address_typing_for_a_minute_all_get_results():
    # Counted per address (120 a minute), these five used it up, and a sixth got nothing.
    pupils = [pupil() for _ in range(6)]
    statuses = [check(one, TYPED).status_code for _ in range(TYPING) for one in pupils[:5]]
    assert statuses == [200] * 5 * TYPING
    assert check(pupils[5], TYPED).status_code == 200


def test_a_classroom_of_forty_typing_at_once_fits_the_address_ceiling(rf, settings):
    def learner(number: int):
        cookie = f"{clients.CLIENT_COOKIE}={signed_token(f'pupil-{number}')}"
        return rf.post("/playground/", REMOTE_ADDR=SCHOOL, HTTP_COOKIE=cookie)

    waits = [rates.spend_engine_units(learner(n), 1) for _ in range(TYPING) for n in range(40)]
    assert waits == [0] * 40 * TYPING
    assert 40 * TYPING < settings.PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE  # the default


def signed_token(token: str) -> str:
    """The client cookie's value as the server signs it."""
    response = HttpResponse()
    response.set_signed_cookie(clients.CLIENT_COOKIE, token, salt=clients.CLIENT_COOKIE_SALT)
    return response.cookies[clients.CLIENT_COOKIE].value


def test_one_learner_over_their_limit_gets_the_notice_while_the_others_get_results(settings):
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 5
    settings.PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE = 20
    eager, others = known_pupil(), [known_pupil(), known_pupil()]
    assert [check(eager).status_code for _ in range(5)] == [200] * 5
    refused = check(eager)
    assert refused.status_code == 429
    assert "Checking is paused for a moment" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    # Their refused checks cost the class nothing: the address's ceiling is still there.
    assert all(check(eager).status_code == 429 for _ in range(50))
    assert [check(one).status_code for one in others for _ in range(5)] == [200] * 10


def test_a_script_minting_cookies_is_capped_by_the_address_ceiling(settings):
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 10
    settings.PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE = 30
    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = 5
    # Each new "browser" gets a fresh client cookie, and with it a learner's budget of its own.
    browsers = [pupil() for _ in range(10)]
    answered = sum(check(browser).status_code == 200 for browser in browsers for _ in range(20))
    assert answered == 30
    assert check(pupil()).status_code == 429


def test_a_client_without_cookies_counts_per_address_at_a_lower_limit(settings):
    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = 5
    # A new client for every request: one that drops every cookie it is given, or has none.
    answers = [check(pupil()) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    given = answers[0].cookies[clients.CLIENT_COOKIE]
    assert given["httponly"]
    assert given["samesite"] == "Lax"
    assert not given["max-age"]  # until the browser closes


def test_a_made_up_client_or_session_cookie_is_nobody(settings):
    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = 1
    assert check(pupil()).status_code == 200
    forged = pupil()
    forged.cookies[clients.CLIENT_COOKIE] = "pupil-1"
    forged.cookies["sessionid"] = "abcdefgh12345678abcdefgh12345678"
    assert check(forged).status_code == 429


def test_a_signed_in_learner_is_counted_per_account_on_every_device(settings, django_user_model):
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 2
    ada = django_user_model.objects.create_user("ada")
    laptop, phone, neighbour = pupil(), pupil(), pupil()
    laptop.force_login(ada)
    phone.force_login(ada)
    assert [check(laptop).status_code, check(phone).status_code] == [200, 200]
    assert check(phone).status_code == 429
    assert check(neighbour).status_code == 200


def test_a_refused_htmx_check_leaves_the_last_results_on_screen(settings):
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 1
    learner = known_pupil()
    assert 'id="results"' in check(learner).content.decode()
    refused = check(learner)
    assert refused.status_code == 429
    # Only a notice, put where the results say it goes: goals, problems and diagram stay.
    assert refused["HX-Retarget"] == "#limit-notice"
    assert refused["HX-Reswap"] == "innerHTML"
    html = refused.content.decode()
    assert 'id="results"' not in html
    assert "The results shown are from your last check" in html
    assert f"check again in {refused['Retry-After']} s" in html


def test_pictures_a_shared_cache_keeps_carry_no_client_cookie():
    drawn = Client().get(diagram_url("svg", 7))
    assert drawn.status_code == 200
    assert "public" in drawn["Cache-Control"]
    assert clients.CLIENT_COOKIE not in drawn.cookies


def test_spec_answers_to_a_quiz_spend_from_the_engine_budget(client, content_dir, settings):
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(quiz.read_text() + WRITE_SPEC)
    engine_budget(settings, 1)
    assert answer(client, "spec", HX, text=SPEC).status_code == 200
    refused = answer(client, "spec", HX, text=SPEC)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["HX-Retarget"] == "#main"  # the page's content, not a question's place
    assert "Your answer was not recorded" in refused.content.decode()
    assert answer(client, "isolate", HX, choice=0).status_code == 200  # no engine: no cost
