"""Regressions from a review: inputs that once crashed, hung or misled."""

import time

import pytest

from learn.podspec import check
from learn.podspec.diagram import diagram
from learn.podspec.share import BadCode, decode
from tests.test_podspec_rules import APP, found, pod

pytestmark = pytest.mark.django_db


def test_a_mount_without_a_name_is_drawn():
    report = check(pod(APP + "  volumeMounts: [{mountPath: /x}]\n"))
    assert [d.code for d in report.errors] == ["missing-field"]
    assert "(no name)" in diagram(report)


def test_thousands_of_problems_stay_fast_and_bounded():
    spec = pod(
        "containers:\n- name: a\n  image: b:1\n  ports:\n" + "  - {containerPort: 0}\n" * 10_000
    )
    started = time.perf_counter()
    report = check(spec)
    svg = diagram(report)
    assert time.perf_counter() - started < 2
    assert len(report.diagnostics) == 501  # 500 kept, and one that says how many more
    assert report.diagnostics[-1].code == "too-many-problems"
    assert len(svg) < 100_000


def test_mounts_after_a_malformed_item_are_matched_to_their_lines():
    body = (
        APP
        + "  volumeMounts: [5, {name: good, mountPath: /a}, {name: missing, mountPath: /b}]\nvolumes: [{name: good, emptyDir: {}}]\n"
    )
    assert ("undefined-volume", 9) in found(pod(body))


def test_success_threshold_zero_is_defaulted_not_rejected():
    assert found(pod(APP + "  livenessProbe: {exec: {command: [x]}, successThreshold: 0}\n")) == []


def test_a_volume_with_only_a_name_is_an_emptydir():
    (workload,) = check(
        pod(APP + "  volumeMounts: [{name: v, mountPath: /v}]\nvolumes: [{name: v}]\n")
    ).workloads
    assert workload.pod.volumes[0].type == "emptyDir"


def test_an_empty_label_prefix_is_refused():
    assert found(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {/a: b}}\nspec:\n  containers: [{name: a, image: b:1}]\n"
    ) == [("invalid-label", 3)]


def test_codes_must_be_strict_base64():
    with pytest.raises(BadCode, match="not URL-safe base64"):
        decode("!!!!")


@pytest.mark.parametrize("query", ["maxwidth=abc", "maxheight=-5", "url=http://[::1"])
def test_oembed_bad_parameters_are_not_errors(client, query):
    response = client.get(
        "/oembed?" + query + ("&url=http://testserver/p/x/" if "url=" not in query else "")
    )
    assert response.status_code in (200, 404)


def test_rate_limited_check_without_javascript_keeps_the_text(client, settings):
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 0
    response = client.post("/playground/", {"text": "kind: Pod\n# mine"})
    assert response.status_code == 429
    assert "# mine" in response.content.decode()
    assert "Too many checks" in response.content.decode()


def test_standalone_svgs_may_use_their_own_styles(client):
    from learn.podspec.share import encode

    response = client.get("/diagram/svg/" + encode(pod(APP)))
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_a_snapshot_from_a_version_no_longer_shipped_still_opens(client):
    from learn.playground.models import Snapshot

    snapshot = Snapshot.objects.create(
        id="oldversion1", text=pod(APP), kubernetes_version="1.20", profile="learning"
    )
    assert client.get(f"/p/{snapshot.pk}/").status_code == 200
    assert client.get(f"/p/{snapshot.pk}/diagram.svg").status_code == 200
    assert (
        client.get("/playground/", {"from": snapshot.pk}).context["chosen"].kubernetes_version
        == "1.37"
    )


def test_go_yaml_quote_escapes_are_accepted():
    spec = pod(
        APP.replace(
            "image: nginx:1.27", "image: nginx:1.27\n  command: [sh, -c, \"echo \\'quoted\\'\"]"
        )
    )
    report = check(spec)
    assert report.diagnostics == []
    assert (
        report.workloads[0].pod.containers[0].node.get("command").items[2].value == "echo 'quoted'"
    )
    assert [d.code for d in check('a: "\\q"\n').diagnostics] == ["yaml-syntax"]


def test_pod_level_resources_cover_the_containers_in_production():
    spec = pod("resources: {requests: {cpu: 500m, memory: 256Mi}, limits: {memory: 512Mi}}\n" + APP)
    codes = {
        d.code for d in check(spec, kubernetes_version="1.35", profile="production").diagnostics
    }
    assert not codes & {"unset-cpu-requirements", "unset-memory-requirements"}


def test_flags_named_like_secrets_are_not_secrets():
    spec = pod(
        APP
        + "  env: [{name: MYSQL_ALLOW_EMPTY_PASSWORD, value: '1'}, {name: DB_PASSWORD, value: hunter2}]\n"
    )
    findings = [
        d for d in check(spec, profile="production").diagnostics if d.code == "env-var-secret"
    ]
    assert [d.line for d in findings] == [9]
    assert "DB_PASSWORD" in findings[0].message


def test_restart_rule_actions_follow_the_version():
    rule = "  restartPolicy: Never\n  restartPolicyRules: [{action: RestartAllContainers, exitCodes: {operator: In, values: [88]}}]\n"
    assert found(pod(APP + rule), kubernetes_version="1.35") == [("invalid-value", 10)]
    assert found(pod(APP + rule), kubernetes_version="1.36") == []


def test_nul_characters_are_never_stored(client, content_dir):
    """PostgreSQL refuses NUL in text; the site must answer, not fail (found by a property test)."""
    from learn.playground.models import Snapshot
    from learn.quizzes.models import QuizAnswer

    response = client.post("/playground/share/", {"text": "kind: Pod\x00\n"})
    assert response.status_code == 400
    assert "free of NUL characters" in response.content.decode()
    assert not Snapshot.objects.exists()
    quiz = content_dir / "01-basics" / "01-first.quiz.yaml"
    quiz.write_text(
        quiz.read_text()
        + "  - {id: name-it, type: short, prompt: Name it., answers: [pid], why: Because.}\n"
    )
    from learn.content import library

    library._cache.clear()
    client.post("/lessons/basics/first/quiz/", {"question": "name-it", "text": "p\x00id"})
    assert QuizAnswer.objects.get().response == {"text": "pid"}
    assert QuizAnswer.objects.get().correct
