"""The schema, API-server rules and teaching warnings: each rule firing, and staying quiet."""

import textwrap

import pytest

from learn.podspec import check
from tests.support import APP, DEPLOYMENT, found, pod


def test_a_valid_pod_has_no_diagnostics():
    assert found(pod(APP)) == []


def test_schema_reports_every_error_not_just_the_first():
    text = pod("""\
        containers:
        - name: app
          image: nginx:1.27
          imagePullPolice: Always
          ports:
          - containerPort: "http"
        - name: two
          image: 5
        """)
    assert found(text) == [("unknown-field", 9), ("wrong-type", 11), ("wrong-type", 13)]


def test_unknown_field_suggests_the_right_name():
    (d,) = check(pod(APP + "  imagePullPolice: Always\n")).diagnostics
    assert (
        d.message
        == "`imagePullPolice` is not a field of a container; did you mean `imagePullPolicy`?"
    )
    assert (d.line, d.column, d.path) == (9, 5, "spec.containers[0].imagePullPolice")


def test_wrong_type_message_names_field_and_value():
    (d,) = check(pod(APP + "  ports: [{containerPort: http}]\n")).diagnostics
    assert d.message == '`containerPort` must be a whole number, not the text "http"'
    assert "`name:`" in d.hint


def test_yes_is_a_boolean_and_the_hint_says_quote_it():
    (d,) = check(pod(APP + "  env: [{name: DEBUG, value: yes}]\n")).diagnostics
    assert d.code == "wrong-type"
    assert '"yes"' in d.hint


def test_missing_required_field():
    assert found(pod("containers:\n- image: nginx:1.27\n")) == [("missing-field", 7)]


def test_unknown_kind_and_wrong_api_version():
    assert check("apiVersion: v1\nkind: Deployment\n").diagnostics[0].message == (
        "there is no Deployment in `v1`: Deployment is served by `apps/v1`"
    )
    assert "did you mean `Pod`?" in check("apiVersion: v1\nkind: pod\n").diagnostics[0].message


def test_other_kinds_are_schema_checked():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: web}]\n"
    assert found(text) == [("wrong-type", 5)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("containers:\n- name: Web_1\n  image: a:1\n", [("invalid-name", 7)]),
        (APP + "- name: app\n  image: b:1\n", [("duplicate-container-name", 9)]),
        ("initContainers:\n- name: app\n  image: a:1\n" + APP, [("duplicate-container-name", 7)]),
        (APP + "  volumeMounts: [{name: data, mountPath: /d}]\n", [("undefined-volume", 9)]),
        (
            APP + "  volumeMounts: [{name: v, mountPath: /d}, {name: w, mountPath: /d}]\n"
            "volumes: [{name: v, emptyDir: {}}, {name: w, emptyDir: {}}]\n",
            [("duplicate-mount-path", 9)],
        ),
        (
            APP + "  volumeMounts: [{name: v, mountPath: /d}]\n"
            "volumes: [{name: v, emptyDir: {}}, {name: v, configMap: {name: c}}]\n",
            [("duplicate-volume-name", 10)],
        ),
        (APP + "  ports: [{containerPort: 70000}]\n", [("port-out-of-range", 9)]),
        (APP + "  ports: [{containerPort: 80, name: HTTP}]\n", [("invalid-name", 9)]),
        (APP + "  resources: {requests: {memory: 128MB}}\n", [("invalid-quantity", 9)]),
        (
            APP + "  resources: {requests: {cpu: '2'}, limits: {cpu: 1}}\n",
            [("requests-exceed-limits", 9)],
        ),
        (APP + "  imagePullPolicy: always\n", [("invalid-value", 9)]),
        (APP + "restartPolicy: Sometimes\n", [("invalid-restart-policy", 9)]),
        ("containers: []\n", [("missing-field", 6)]),
        ("containers:\n- name: app\n", [("missing-field", 7)]),
    ],
)
def test_api_server_rules(body, expected):
    assert found(pod(body)) == expected


def test_a_pod_without_a_spec_is_an_error():
    assert found("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n") == [("missing-field", 1)]


def test_host_port_conflict_between_app_containers_only():
    two = APP + "  ports: [{containerPort: 80, hostPort: 8080}]\n- name: b\n  image: b:1\n"
    assert found(pod(two + "  ports: [{containerPort: 81, hostPort: 8080}]\n")) == [
        ("host-port-conflict", 12)
    ]
    other_protocol = two + "  ports: [{containerPort: 81, hostPort: 8080, protocol: UDP}]\n"
    assert found(pod(other_protocol)) == []


def test_probes_and_lifecycle_only_on_sidecars():
    init = "initContainers:\n- name: setup\n  image: a:1\n  startupProbe: {exec: {command: [x]}}\n"
    assert found(pod(init + APP)) == [("probe-not-allowed", 9)]
    sidecar = init.replace("  startupProbe", "  restartPolicy: Always\n  startupProbe")
    assert found(pod(sidecar + APP)) == []


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.34", [("invalid-restart-policy", 9)]), ("1.35", []), ("1.37", [])],
)
def test_init_container_restart_policy_depends_on_the_version(version, expected):
    init = "initContainers:\n- name: setup\n  image: a:1\n  restartPolicy: OnFailure\n"
    assert found(pod(init + APP), kubernetes_version=version) == expected


def test_app_container_restart_policy_is_ignored_before_1_35():
    text = pod(APP + "  restartPolicy: Never\n")
    (d,) = check(text, kubernetes_version="1.34").diagnostics
    assert (d.code, d.severity) == ("invalid-restart-policy", "warning")
    assert check(text, kubernetes_version="1.35").diagnostics == []


def test_restart_rules_need_a_restart_policy():
    rules = "  restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]\n"
    assert found(pod(APP + rules), kubernetes_version="1.35") == [("missing-field", 9)]
    sidecar = "initContainers:\n- name: s\n  image: a:1\n  restartPolicy: Always\n" + rules
    assert found(pod(sidecar + APP), kubernetes_version="1.35") == [("invalid-restart-policy", 10)]
    assert found(pod(sidecar + APP), kubernetes_version="1.36") == []


def test_job_pods_cannot_restart_always():
    job = pod(
        "template:\n  spec:\n    containers: [{name: a, image: a:1}]\n", kind="Job", api="batch/v1"
    )
    (d,) = check(job).diagnostics
    assert d.code == "invalid-restart-policy"
    assert "the default, `Always`, is not allowed" in d.message
    assert check(job.replace("      containers", "      restartPolicy: Never\n      containers")).ok


def test_deployment_selector_must_match_template_labels():
    assert found(DEPLOYMENT) == []
    # Reported on the template's label, as the API server does.
    assert found(DEPLOYMENT.replace("labels: {app: shop}", "labels: {app: shopp}")) == [
        ("selector-mismatch", 10)
    ]


def test_deployment_pods_must_restart_always():
    broken = DEPLOYMENT.replace(
        "      containers", "      restartPolicy: OnFailure\n      containers"
    )
    assert found(broken) == [("invalid-restart-policy", 12)]


def test_labels_are_validated():
    text = DEPLOYMENT.replace(
        "labels: {app: shop}", "labels: {app: shop, -bad-: x, ok: 'has space'}"
    )
    assert [c for c, _ in found(text)] == ["invalid-label", "invalid-label"]


def test_probe_shape():
    liveness = (
        "  livenessProbe: {exec: {command: [x]}, tcpSocket: {port: 80}, successThreshold: 2}\n"
    )
    assert [c for c, _ in found(pod(APP + liveness))] == ["invalid-value", "invalid-value"]
    assert found(pod(APP + "  readinessProbe: {periodSeconds: 5}\n")) == [("missing-field", 9)]
    assert found(pod(APP + "  readinessProbe: {exec: {command: [x]}, successThreshold: 2}\n")) == []


def test_sub_path_must_stay_inside_the_volume():
    mount = "  volumeMounts: [{name: v, mountPath: /d, subPath: /etc}]\nvolumes: [{name: v, emptyDir: {}}]\n"
    assert found(pod(APP + mount)) == [("invalid-value", 9)]


def test_statefulset_claim_templates_are_volumes():
    statefulset = (
        DEPLOYMENT.replace("Deployment", "StatefulSet").replace(
            "nginx:1.27}]", "nginx:1.27, volumeMounts: [{name: data, mountPath: /data}]}]"
        )
        + "  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
    )
    report = check(statefulset)
    assert report.diagnostics == []
    assert [(v.name, v.type) for v in report.workloads[0].pod.volumes] == [
        ("data", "persistentVolumeClaim")
    ]


def test_requests_default_to_limits():
    (workload,) = check(pod(APP + "  resources: {limits: {cpu: 250m, memory: 64Mi}}\n")).workloads
    assert workload.pod.effective_requests() == {"cpu": "250m", "memory": "64Mi"}
    assert workload.to_dict()["pod"]["containers"][0]["limits"] == {"cpu": "250m", "memory": "64Mi"}


def test_object_names():
    assert found(pod(APP, name="Web")) == [("invalid-name", 4)]
    statefulset = DEPLOYMENT.replace("Deployment", "StatefulSet").replace("name: shop", "name: a.b")
    assert ("invalid-name", 3) in found(statefulset)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            APP
            + "  ports: [{containerPort: 8080}]\n- name: b\n  image: b:1\n  ports: [{containerPort: 8080}]\n",
            [("port-conflict", 12)],
        ),
        (APP + "  env: [{name: A, value: x}, {name: A, value: y}]\n", [("duplicate-env-var", 9)]),
        (APP + "volumes: [{name: v, emptyDir: {}}]\n", [("unused-volume", 9)]),
    ],
)
def test_teaching_warnings(body, expected):
    report = check(pod(body))
    assert report.ok
    assert [(d.code, d.line) for d in report.sorted()] == expected


def test_init_container_ports_do_not_conflict_with_app_ports():
    init = "initContainers:\n- name: setup\n  image: a:1\n  ports: [{containerPort: 8080}]\n"
    # No port-conflict (the init container has ended), only the API server's own warning, which
    # counts every container's declarations (pkg/api/pod/warnings.go).
    assert found(pod(init + APP + "  ports: [{containerPort: 8080}]\n")) == [("duplicate-port", 13)]


def test_version_and_profile_are_validated():
    with pytest.raises(ValueError, match="not supported"):
        check("a: b", kubernetes_version="1.20")
    with pytest.raises(ValueError, match="unknown profile"):
        check("a: b", profile="strict")
    assert check(pod(APP), kubernetes_version="v1.35.4").kubernetes_version == "1.35"


def test_diagnostics_link_to_the_lesson_that_explains_them():
    (d,) = check(pod(APP + "  resources: {requests: {memory: 1GB}}\n")).diagnostics
    assert d.lesson == "what-is-a-container/namespaces-and-cgroups"


def test_an_init_containers_restart_policy_links_to_the_native_sidecar_lesson():
    init = """\
initContainers:
- name: shipper
  image: busybox:1.36
  restartPolicy: Sometimes
"""
    report = check(pod(APP + init), kubernetes_version="1.34")
    (d,) = [d for d in report.diagnostics if d.code == "invalid-restart-policy"]
    assert d.lesson.startswith("native-sidecars/why-native-sidecars#")
    pod_level = check(pod(APP + "restartPolicy: Sometimes\n")).diagnostics
    assert [d.lesson for d in pod_level if d.code == "invalid-restart-policy"] == [
        "pods/lifecycle-probes-and-termination#restarts-happen-in-place"
    ]


def test_probe_success_threshold_zero_is_the_default():
    zero = "  livenessProbe: {exec: {command: [x]}, successThreshold: 0}\n"
    assert found(pod(APP + zero)) == []
    negative = "  startupProbe: {exec: {command: [x]}, successThreshold: -1}\n"
    assert found(pod(APP + negative)) == [("invalid-value", 9)]


def test_lifecycle_hooks_on_a_plain_init_container_are_reported_once_each():
    init = """\
        initContainers:
        - name: setup
          image: busybox:1.36
          startupProbe: {exec: {command: [x]}}
          lifecycle: {preStop: {sleep: {seconds: 1}}}
        """
    assert found(pod(textwrap.dedent(init) + APP)) == [
        ("probe-not-allowed", 9),
        ("probe-not-allowed", 10),
    ]


def test_mounts_after_a_malformed_item_are_matched_to_their_lines():
    body = (
        APP
        + "  volumeMounts: [5, {name: good, mountPath: /a}, {name: missing, mountPath: /b}]\nvolumes: [{name: good, emptyDir: {}}]\n"
    )
    assert ("undefined-volume", 9) in found(pod(body))


def test_success_threshold_zero_is_defaulted_not_rejected():
    assert found(pod(APP + "  livenessProbe: {exec: {command: [x]}, successThreshold: 0}\n")) == []


def test_an_empty_label_prefix_is_refused():
    assert found(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {/a: b}}\nspec:\n  containers: [{name: a, image: b:1}]\n"
    ) == [("invalid-label", 3)]


def test_restart_rule_actions_follow_the_version():
    rule = "  restartPolicy: Never\n  restartPolicyRules: [{action: RestartAllContainers, exitCodes: {operator: In, values: [88]}}]\n"
    assert found(pod(APP + rule), kubernetes_version="1.35") == [("invalid-value", 10)]
    assert found(pod(APP + rule), kubernetes_version="1.36") == []


def test_a_probe_on_an_init_container_is_refused_whatever_its_value():
    init = "initContainers:\n- name: setup\n  image: busybox:1.36\n  livenessProbe: yes\n"
    codes = [code for code, _ in found(pod(init + APP))]
    assert "probe-not-allowed" in codes  # besides the schema's wrong-type


def test_a_null_probe_on_an_init_container_is_unset_not_refused():
    init = "initContainers:\n- name: setup\n  image: busybox:1.36\n  livenessProbe: null\n"
    assert "probe-not-allowed" not in [code for code, _ in found(pod(init + APP))]
