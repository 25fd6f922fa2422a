"""The editor's completions and field documentation: the engine's answers, and the JSON route."""

import json

import pytest
from django.test import Client

from learn.podspec.completion import complete, first_sentence, hover
from tests.support import SIDECAR_POD, one_window

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Always
  volumes:
  - name: logs
    emptyDir: {}
  - name: config
    configMap:
      name: web-config
  containers:
  - name: app
    image: nginx
    ports:
    - name: http
      containerPort: 80
    readinessProbe:
      httpGet:
        port: <>
    volumeMounts:
    - name: <>
      mountPath: /x
""".replace("<>", "")  # the cursor's place: a value not yet typed


def _at(text: str, marker: str, after: int = 0) -> tuple[int, int]:
    """The 1-based line and column just after the first `marker` (plus `after` characters); a
    marker ending in `$` must end its line."""
    whole = marker.endswith("$")
    marker = marker.removesuffix("$")
    for number, line in enumerate(text.splitlines(), 1):
        if line.endswith(marker) if whole else marker in line:
            return number, line.index(marker) + len(marker) + 1 + after
    raise AssertionError(marker)


def _labels(text: str, marker: str) -> list[str]:
    found = complete(text, *_at(text, marker))
    assert found is not None
    return [option.label for option in found.options]


def test_a_mount_offers_the_volumes_the_pod_defines():
    assert _labels(POD, "    - name: $") == ["logs", "config"]


def test_a_probe_port_offers_the_containers_named_ports():
    assert _labels(POD, "        port: ") == ["http"]


def test_a_statefulsets_mount_offers_its_claim_templates_too():
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      volumes:
      - name: scratch
        emptyDir: {}
      containers:
      - name: db
        image: postgres
        volumeMounts:
        - name: <>
  volumeClaimTemplates:
  - metadata:
      name: data
""".replace("<>", "")
    found = complete(text, *_at(text, "        - name: $"))
    assert found is not None
    assert [(o.label, o.detail) for o in found.options] == [
        ("scratch", "volumes"),
        ("data", "volumeClaimTemplates"),
    ]


def test_a_half_typed_field_name_offers_the_fields_not_yet_written():
    text = POD.replace("    image: nginx\n", "    image: nginx\n    ima\n")
    found = complete(text, *_at(text, "    ima$"))
    assert found is not None
    assert found.path == "spec.containers[0]"
    assert found.key == "ima"
    labels = [option.label for option in found.options]
    assert "imagePullPolicy" in labels
    assert "livenessProbe" in labels
    assert "image" not in labels
    assert "ports" not in labels
    described = next(o for o in found.options if o.label == "livenessProbe")
    assert described.detail == "Probe"
    assert described.info.startswith("Periodic probe")


def test_values_come_from_the_schema_and_the_engines_rules():
    assert _labels(POD, "  restartPolicy: ") == ["Always", "OnFailure", "Never"]
    assert _labels("apiVersion: v1\nkind: \n", "kind: ")[:2] == ["Pod", "Deployment"]
    text = POD.replace("  restartPolicy: Always\n", "  hostNetwork: \n")
    assert _labels(text, "  hostNetwork: ") == ["true", "false"]


def test_nothing_is_offered_on_free_text_or_before_any_document():
    assert complete(POD, *_at(POD, "    image: ")) is None
    assert complete("", 1, 1) is None
    started = complete("ki", 1, 3)  # a new document: what an object starts with
    assert started is not None
    assert "kind" in [option.label for option in started.options]
    assert complete("# just a comment\n", 1, 3) is None


def test_hover_documents_the_field_and_names_its_lesson():
    found = hover(POD, *_at(POD, "    read", after=-2))
    assert found is not None
    assert found.path == "spec.containers[0].readinessProbe"
    assert found.field.type == "Probe"
    assert "readiness" in found.field.description
    assert (
        found.lesson
        == "pods/lifecycle-probes-and-termination#probes-liveness-readiness-and-startup"
    )
    restart = hover(POD, *_at(POD, "  restartP", after=-2))
    assert restart is not None
    assert restart.field.enum == ("Always", "OnFailure", "Never")


def test_hover_on_a_value_documents_its_field_and_off_any_field_says_nothing():
    on_value = hover(POD, *_at(POD, "  name: w"))
    assert on_value is not None
    assert on_value.path == "metadata.name"
    assert hover("", 1, 1) is None
    assert hover(POD.replace("  containers:", "  contaners:"), 13, 4) is None


# Text being edited is often broken somewhere else: a line that does not parse yet must not take
# completion and documentation away from the rest of the spec (as in VS Code's YAML support).
BROKEN_ELSEWHERE = {
    "a mis-indented key": ("    readinessProbe:\n", "    readinessProbe:\n   oops: 1\n"),
    "an unclosed bracket": ("    image: nginx\n", "    image: nginx\n    args: [serve, --port\n"),
    "a half-typed key": ("    image: nginx\n", "    image: nginx\n    ima\n"),
    "a stray quote": ("  name: web\n", '  name: "web\n'),
    "a tab in the indentation": ("      containerPort: 80\n", "\t  containerPort: 80\n"),
    "a key without its space": ("    image: nginx\n", "    image:nginx\n    imagePullPolicy:x\n"),
}


@pytest.mark.parametrize("damage", BROKEN_ELSEWHERE.values(), ids=BROKEN_ELSEWHERE)
def test_completion_and_hover_work_while_another_line_is_broken(damage):
    text = POD.replace(*damage)
    assert _labels(text, "  restartPolicy: ") == ["Always", "OnFailure", "Never"]
    assert _labels(text, "    - name: $") == ["logs", "config"]
    found = hover(text, *_at(text, "    read", after=-2))
    assert found is not None
    assert found.path == "spec.containers[0].readinessProbe"


def test_a_half_typed_field_below_an_unclosed_bracket_is_completed():
    text = POD.replace("  containers:\n", "  containers:\n  - name: web\n    ports: [\n")
    text = text.replace("  - name: app\n    image: nginx\n", "  - name: app\n    imag\n")
    found = complete(text, *_at(text, "    imag$"))
    assert found is not None
    assert found.path == "spec.containers[1]"
    assert "image" in [option.label for option in found.options]


def test_first_sentence_keeps_descriptions_short():
    assert first_sentence("Name of the thing. More info: here.") == "Name of the thing."
    long = "word " * 100
    assert len(first_sentence(long)) <= 240
    assert first_sentence(long).endswith("…")


@pytest.mark.django_db
class TestRoute:
    URL = "/playground/assist/"

    def post(self, client, **data):
        fields = {"text": POD, "kubernetes_version": "1.35", **data}
        return client.post(self.URL, fields)

    def test_completes_as_json(self, client):
        line, column = _at(POD, "    - name: $")
        response = self.post(client, what="complete", line=line, column=column)
        assert response.status_code == 200
        answer = response.json()
        assert answer["path"] == "spec.containers[0].volumeMounts[0].name"
        assert [o["label"] for o in answer["options"]] == ["logs", "config"]

    def test_hover_links_the_lesson(self, client):
        line, column = _at(POD, "    read", after=-2)
        answer = self.post(client, what="hover", line=line, column=column).json()
        assert answer["type"] == "Probe"
        assert answer["lesson"].startswith("/lessons/pods/lifecycle-probes-and-termination")
        assert answer["lesson"].endswith("#probes-liveness-readiness-and-startup")

    @pytest.mark.parametrize(
        "data",
        [
            {"what": "complete"},
            {"what": "guess", "line": "1", "column": "1"},
            {"what": "hover", "line": "0", "column": "1"},
            {"what": "hover", "line": "x", "column": "1"},
            {"what": "hover", "line": "1", "column": "99999999"},
        ],
    )
    def test_bad_requests_say_what_to_send(self, client, data):
        response = self.post(client, **data)
        assert response.status_code == 400
        assert response.json()["error"]

    def test_a_huge_text_is_refused_before_parsing(self, client, settings):
        text = "a: b\n" * (settings.PODSPEC_MAX_BYTES // 5 + 1)
        response = self.post(client, text=text, what="complete", line=1, column=1)
        assert response.status_code == 413

    def test_only_post(self, client):
        assert client.get(self.URL).status_code == 405

    def test_limited_per_address_with_retry_after(self, client, settings, monkeypatch):
        one_window(monkeypatch)
        settings.PLAYGROUND_ASSISTS_PER_ADDRESS_PER_MINUTE = 2
        responses = [self.post(client, what="hover", line=2, column=2) for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 429]
        assert int(responses[-1]["Retry-After"]) > 0

    def test_a_learner_past_their_budget_leaves_the_class_its_own(
        self, client, settings, monkeypatch
    ):
        one_window(monkeypatch)
        settings.PLAYGROUND_ASSISTS_PER_MINUTE = 2
        codes = [self.post(client, what="hover", line=2, column=2).status_code for _ in range(4)]
        assert codes[-1] == 429  # the first request came before the client had its cookie
        assert self.post(Client(), what="hover", line=2, column=2).status_code == 200

    def test_checks_hand_the_editor_each_problem_with_its_range(self, client):
        text = SIDECAR_POD.replace("name: logs\n    emptyDir", "name: log\n    emptyDir")
        response = client.post(
            "/playground/", {"text": text, "kubernetes_version": "1.35"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        start = html.index('<script id="problems-data" type="application/json">')
        data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
        assert data, "the broken spec has problems"
        first = data[0]
        assert set(first) == {
            "line",
            "column",
            "endLine",
            "endColumn",
            "severity",
            "code",
            "message",
            "hint",
        }
        assert first["line"] > 0
        assert (first["endLine"], first["endColumn"]) >= (
            first["line"],
            first["column"],
        )
