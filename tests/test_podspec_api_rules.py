"""What the API server (and the controllers behind it) do that the engine must do too: StatefulSet
claim templates, lists of objects, ValidateResourceRequirements and the port checks and warnings.
Each case asserts the codes and lines a learner sees."""

import pytest

from learn.podspec import check
from learn.podspec.diagram import diagram

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {{app: db}}
  template:
    metadata:
      labels: {{app: db}}
    spec:
      containers:
      - name: db
        image: postgres:17.2
        volumeMounts:
        - {{name: data, mountPath: /var/lib/postgresql/data}}
{extra}  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources: {{requests: {{storage: 1Gi}}}}
"""


def found(text: str, **options: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in check(text, **options).sorted()]


# StatefulSet claim templates -------------------------------------------------------------------


def test_a_claim_replaces_the_pod_volume_of_its_name_with_a_warning_at_the_claims_name():
    text = STATEFULSET.format(extra="      volumes:\n      - name: data\n        emptyDir: {}\n")
    report = check(text)
    assert [(d.code, d.severity, d.line) for d in report.diagnostics] == [
        ("claim-replaces-volume", "warning", 23)
    ]
    assert "line 19" in report.diagnostics[0].message
    # What the controller's Pods mount: the claim, not the emptyDir.
    assert [(v.name, v.type) for v in report.workloads[0].pod.volumes] == [
        ("data", "persistentVolumeClaim")
    ]


def test_a_mount_of_a_claim_template_only_is_not_dangling_and_the_diagram_shows_the_claim():
    report = check(STATEFULSET.format(extra=""))
    assert report.diagnostics == []
    assert "data" in diagram(report)


def test_two_claim_templates_of_one_name_are_one_volume_as_the_controller_keys_them():
    text = STATEFULSET.format(extra="") + "  - metadata: {name: data}\n    spec: {}\n"
    report = check(text)
    assert [d.code for d in report.errors] == []
    assert [v.name for v in report.workloads[0].pod.volumes] == ["data"]


def test_a_statefulsets_pod_template_errors_say_its_pods_will_be_rejected():
    text = STATEFULSET.format(extra="").replace("name: data, mountPath", "name: dat, mountPath")
    report = check(text)
    assert [(d.code, d.line) for d in report.errors] == [("undefined-volume", 17)]
    assert "accepts the StatefulSet" in report.errors[0].message
    assert "will reject each of its Pods" in report.errors[0].message


def test_a_deployments_template_is_validated_so_its_errors_do_not_say_so():
    deployment = (
        STATEFULSET.format(extra="")
        .replace("StatefulSet", "Deployment")
        .replace("  serviceName: db\n", "")
        .replace("name: data, mountPath", "name: dat, mountPath")
        .split("  volumeClaimTemplates:")[0]
    )
    report = check(deployment)
    assert [(d.code, d.line) for d in report.errors] == [("undefined-volume", 16)]
    assert "StatefulSet" not in report.errors[0].message


def test_statefulset_checks_of_the_object_itself_keep_their_wording():
    # restartPolicy and the template's labels are checked by ValidateStatefulSetSpec itself.
    text = STATEFULSET.format(extra="      restartPolicy: Never\n")
    report = check(text)
    assert [(d.code, d.line) for d in report.errors] == [("invalid-restart-policy", 18)]
    assert "Pods" not in report.errors[0].message


# Lists of objects ------------------------------------------------------------------------------

LIST = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data: {mode: fast}
- apiVersion: v1
  kind: Pod
  metadata: {name: web}
  spec:
    containers:
    - name: web
      image: nginx:1.27
      ports: [{containerPort: 80, protocol: tcp}]
"""


def test_each_item_of_a_list_is_checked_as_an_object_with_its_own_lines():
    report = check(LIST)
    assert [(d.code, d.line, d.document) for d in report.diagnostics] == [("invalid-value", 15, 1)]
    assert [(w.kind, w.name, w.line, w.document) for w in report.workloads] == [
        ("Pod", "web", 8, 1)
    ]


def test_objects_after_a_list_keep_their_own_numbers_and_their_parse_problems():
    text = LIST + "---\napiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: b}\n"
    report = check(text)
    duplicate = next(d for d in report.diagnostics if d.code == "yaml-duplicate-key")
    assert (duplicate.line, duplicate.document) == (19, 2)


def test_a_parse_problem_inside_a_list_belongs_to_its_item():
    text = LIST.replace("  metadata: {name: web}\n", "  metadata: {name: web}\n  kind: Pod\n")
    duplicate = next(d for d in check(text).diagnostics if d.code == "yaml-duplicate-key")
    assert (duplicate.line, duplicate.document) == (11, 1)


def test_an_empty_document_keeps_a_number_of_its_own():
    # The empty first document is 0, the List's ConfigMap 1 and its Pod 2.
    report = check("---\n---\n" + LIST)
    assert [w.document for w in report.workloads] == [2]


def test_a_typed_list_gives_its_items_their_kind():
    text = (
        "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: one}\n  spec:\n"
        "    containers: [{name: app, image: busybox:1.37, volumeMounts: [{name: x, mountPath: /x}]}]\n"
    )
    report = check(text)
    assert found(text) == [("undefined-volume", 6)]
    assert [w.kind for w in report.workloads] == ["Pod"]


def test_a_typed_list_item_with_a_kind_but_no_api_version_inherits_nothing():
    text = "apiVersion: v1\nkind: PodList\nitems:\n- kind: Pod\n  metadata: {name: one}\n"
    assert found(text) == [("missing-field", 4)]


def test_a_list_item_without_a_kind_is_reported_on_that_item():
    text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata: {name: x}\n"
    assert found(text) == [("missing-field", 4)]


def test_items_that_are_not_a_list_are_a_wrong_type():
    assert found("apiVersion: v1\nkind: List\nitems: {a: 1}\n") == [("wrong-type", 3)]


def test_an_unknown_kind_ending_in_list_is_still_unknown():
    assert found("apiVersion: v1\nkind: FooList\nitems: []\n") == [("unknown-kind", 2)]


def test_the_diagram_of_a_list_draws_its_workloads():
    assert "web" in diagram(check(LIST.replace("tcp", "TCP")))


# ValidateResourceRequirements ------------------------------------------------------------------

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
{resources}"""


def resources(text: str) -> list[tuple[str, int]]:
    return found(POD.format(resources=text))


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        # An extended resource: a limit alone is enough (the request defaults to it).
        ("      limits: {example.com/gpu: 1}\n", []),
        ("      requests: {example.com/gpu: 1}\n      limits: {example.com/gpu: 1}\n", []),
        # Requested without a limit, or a request that differs from the limit.
        ("      requests: {example.com/gpu: 1}\n", [("missing-limit", 9)]),
        (
            "      requests: {example.com/gpu: 1}\n      limits: {example.com/gpu: 2}\n",
            [("request-must-equal-limit", 9)],
        ),
        (
            "      requests: {example.com/gpu: 2}\n      limits: {example.com/gpu: 1}\n",
            [("request-must-equal-limit", 9)],
        ),
        # Devices are counted whole.
        ("      limits: {example.com/gpu: 500m}\n", [("invalid-quantity", 9)]),
        # Huge pages: like extended resources, and in whole pages, beside cpu or memory.
        ("      limits: {memory: 1Gi, hugepages-2Mi: 4Mi}\n", []),
        ("      limits: {memory: 1Gi, hugepages-2Mi: 3Mi}\n", [("invalid-quantity", 9)]),
        (
            "      requests: {memory: 1Gi, hugepages-2Mi: 4Mi}\n",
            [("missing-limit", 9)],
        ),
        ("      limits: {hugepages-2Mi: 4Mi}\n", [("hugepages-without-cpu-memory", 8)]),
        # Resource names.
        ("      limits: {gpu: 1}\n", [("invalid-resource-name", 9)]),
        ("      limits: {example.com/: 1}\n", [("invalid-resource-name", 9)]),
        ("      limits: {kubernetes.io/widget: 1}\n", []),
        # cpu and memory may be overcommitted, a domain-qualified request too when it is native.
        ("      requests: {cpu: 100m}\n      limits: {cpu: 200m}\n", []),
        (
            "      requests: {cpu: 300m}\n      limits: {cpu: 200m}\n",
            [("requests-exceed-limits", 9)],
        ),
        ("      requests: {memory: -1Mi}\n", [("invalid-quantity", 9)]),
    ],
)
def test_resource_requirements_rule_by_rule(amounts, expected):
    assert resources(amounts) == expected


def test_resource_messages_follow_the_api_server():
    report = check(
        POD.format(
            resources="      requests: {example.com/gpu: 1}\n      limits: {example.com/gpu: 2}\n"
        )
    )
    assert "must be equal to its limit (2)" in report.errors[0].message
    report = check(POD.format(resources="      requests: {example.com/gpu: 1}\n"))
    assert "Limit must be set for non overcommitable resources" in report.errors[0].message


def test_a_block_style_extended_resource_is_found_at_its_line():
    text = POD.format(
        resources="      requests:\n        cpu: 250m\n        nvidia.com/gpu: 1\n"
        "      limits:\n        nvidia.com/gpu: 2\n"
    )
    assert found(text) == [("request-must-equal-limit", 11)]


# Container ports --------------------------------------------------------------------------------

PORTS = """\
apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
{init}  containers:
  - name: app
    image: nginx:1.27
    ports:
{ports}"""


def ports(text: str, init: str = "") -> list[tuple[str, int]]:
    return found(PORTS.format(ports=text, init=init))


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (
            "    - {containerPort: 80, name: http}\n    - {containerPort: 80, name: web}\n",
            [("duplicate-port", 10)],
        ),
        # Another protocol is another port.
        ("    - {containerPort: 53}\n    - {containerPort: 53, protocol: UDP}\n", []),
        # hostPort 0 beside a hostPort overlaps it.
        (
            "    - {containerPort: 80}\n    - {containerPort: 80, hostPort: 8080}\n",
            [("duplicate-port", 10)],
        ),
        (
            "    - {containerPort: 80, hostPort: 80}\n"
            "    - {containerPort: 80, hostPort: 80, hostIP: 10.0.0.1}\n",
            [("ambiguous-host-port", 10)],
        ),
        ("    - {containerPort: 80, hostIP: 10.0.0.1}\n", [("host-ip-without-host-port", 9)]),
        ("    - {containerPort: 0}\n", [("port-out-of-range", 9)]),
        ("    - {containerPort: 80, name: a--b}\n", [("invalid-name", 9)]),
        (
            "    - {containerPort: 80, name: http}\n    - {containerPort: 81, name: http}\n",
            [("invalid-value", 10)],
        ),
    ],
)
def test_port_rules_and_warnings(declared, expected):
    assert ports(declared) == expected


def test_an_init_containers_port_again_in_an_app_container_gets_the_api_servers_warning():
    init = "  initContainers:\n  - name: setup\n    image: busybox:1.37\n    ports: [{containerPort: 80}]\n"
    assert ports("    - {containerPort: 80}\n", init) == [("duplicate-port", 13)]


def test_two_app_containers_on_one_port_get_only_the_port_conflict():
    text = PORTS.format(ports="    - {containerPort: 80}\n", init="") + (
        "  - name: other\n    image: nginx:1.27\n    ports: [{containerPort: 80}]\n"
    )
    assert found(text) == [("port-conflict", 12)]


def test_a_port_is_compared_with_every_earlier_declaration_as_warnings_go_does():
    # warnings.go loops over every earlier declaration: the third entry overlaps the first and
    # is dangerously ambiguous with the second (one hostIP, one not, for one hostPort).
    declared = (
        "    - {containerPort: 8080}\n"
        "    - {containerPort: 8080, hostPort: 80}\n"
        "    - {containerPort: 8080, hostPort: 80, hostIP: 10.0.0.1}\n"
    )
    assert ports(declared) == [
        ("duplicate-port", 10),
        ("duplicate-port", 11),
        ("ambiguous-host-port", 11),
    ]
    # One protocol per entry: the hint does not ask for a second protocol on the same entry.
    hint = check(PORTS.format(ports=declared, init="")).diagnostics[0].hint
    assert "a second protocol on the same port needs an entry of its own" in hint


def test_an_app_containers_ports_are_each_compared_with_an_init_containers_too():
    init = "  initContainers:\n  - name: setup\n    image: busybox:1.37\n    ports: [{containerPort: 80}]\n"
    declared = "    - {containerPort: 80}\n    - {containerPort: 80, hostPort: 80}\n"
    # The second app entry overlaps the init container's and the first app entry: two warnings.
    assert ports(declared, init) == [
        ("duplicate-port", 13),
        ("duplicate-port", 14),
        ("duplicate-port", 14),
    ]


def test_a_port_name_used_by_two_containers_gets_the_api_servers_warning():
    text = PORTS.format(ports="    - {containerPort: 8080, name: metrics}\n", init="") + (
        "  - name: exporter\n    image: exporter:1.0\n"
        "    ports: [{containerPort: 9090, name: metrics}]\n"
    )
    report = check(text)
    assert found(text) == [("duplicate-port-name", 12)]
    assert "line 9" in report.diagnostics[0].message
    assert "Services and probes" in report.diagnostics[0].message


def test_a_port_name_of_an_init_container_counts_too_whether_or_not_it_keeps_running():
    init = (
        "  initContainers:\n  - name: setup\n    image: busybox:1.37\n"
        "    ports: [{containerPort: 9090, name: web}]\n"
    )
    assert ports("    - {containerPort: 80, name: web}\n", init) == [("duplicate-port-name", 13)]


def test_a_port_name_twice_in_one_container_is_only_the_error():
    declared = "    - {containerPort: 80, name: web}\n    - {containerPort: 81, name: web}\n"
    assert ports(declared) == [("invalid-value", 10)]


HOST_NETWORK_POD = PORTS.replace("spec:\n", "spec:\n  hostNetwork: true\n")


def test_a_host_network_pods_ports_get_their_host_port_by_default():
    # SetDefaults_Pod copies each containerPort into an unset hostPort when hostNetwork is on:
    # the hostIP has a hostPort, and the two entries are the same definition, not overlapping,
    # whose one node port AccumulateUniqueHostPorts then refuses to bind twice.
    text = HOST_NETWORK_POD.format(
        init="",
        ports="    - {containerPort: 8080, hostIP: 10.0.0.1}\n"
        "    - {containerPort: 9090}\n    - {containerPort: 9090, hostPort: 9090}\n",
    )
    report = check(text)
    assert found(text) == [("duplicate-port", 12), ("host-port-conflict", 12)]
    assert "duplicate port definition" in report.sorted()[0].message


def test_a_pod_templates_host_ports_are_not_defaulted():
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
        "  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n"
        "    spec:\n      hostNetwork: true\n      containers:\n      - name: app\n"
        "        image: nginx:1.27\n        ports: [{containerPort: 8080, hostIP: 10.0.0.1}]\n"
    )
    assert found(deployment) == [("host-ip-without-host-port", 13)]


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        ("      limits: {memory: 100.5, ephemeral-storage: 1500m}\n", [9, 9]),
        ("      requests: {memory: 1500m}\n", [9]),
        ("      limits: {memory: 1Gi, ephemeral-storage: 2000m, cpu: 1500m}\n", []),
    ],
)
def test_a_fraction_of_a_byte_gets_the_api_servers_warning(amounts, expected):
    assert resources(amounts) == [("fractional-byte-value", line) for line in expected]


def test_an_error_in_a_claim_template_says_the_claim_templates_are_not_validated():
    text = STATEFULSET.format(extra="").replace("name: data", "name: Data")
    report = check(text)
    assert [(d.code, d.line) for d in report.errors] == [("invalid-name", 20)]
    assert "does not validate its claim templates" in report.errors[0].message
    assert "pod template" not in report.errors[0].message


def test_a_claim_template_records_the_pod_volumes_it_replaced():
    extra = (
        "      volumes:\n      - {name: data, emptyDir: {}}\n      - {name: data, emptyDir: {}}\n"
    )
    report = check(STATEFULSET.format(extra=extra))
    assert [(d.code, d.line) for d in report.diagnostics] == [("claim-replaces-volume", 23)]
    assert "(lines 19, 20)" in report.diagnostics[0].message
    [claim] = report.workloads[0].pod.volumes
    assert [v.line for v in claim.replaced] == [19, 20]


def test_a_list_without_items_says_so():
    report = check("apiVersion: v1\nkind: List\nitems: []\n")
    assert [(d.code, d.line) for d in report.diagnostics] == [("empty-input", 3)]
    assert "the List has no items" in report.diagnostics[0].message


JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {{name: render}}
spec:
{spec}  template:
    spec:
      restartPolicy: {policy}
      containers:
      - {{name: worker, image: busybox:1.36.1}}
"""


def test_an_indexed_job_needs_completions_and_at_most_100000_pods_at_once():
    # validateJobSpec, v1.35: completions required when Indexed; parallelism <= 100000.
    spec = "  completionMode: Indexed\n  parallelism: 100001\n"
    assert found(JOB.format(spec=spec, policy="Never")) == [
        ("missing-field", 5),
        ("invalid-value", 6),
    ]
    written = "  completionMode: Indexed\n  completions: 9\n  parallelism: 3\n"
    assert found(JOB.format(spec=written, policy="Never")) == []


def test_a_pod_failure_policy_needs_restart_policy_never():
    policy = (
        "  podFailurePolicy:\n    rules:\n    - action: FailJob\n"
        "      onExitCodes: {operator: In, values: [42]}\n"
    )
    assert found(JOB.format(spec=policy, policy="OnFailure")) == [("invalid-restart-policy", 11)]
    assert found(JOB.format(spec=policy, policy="Never")) == []
    # Always is refused once, by the rule for every Job, as the API server does (else-if).
    assert found(JOB.format(spec=policy, policy="Always")) == [("invalid-restart-policy", 11)]
