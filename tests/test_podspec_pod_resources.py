"""Pod-level `resources`, resource claims and hostNetwork's node ports: what the API server checks
of them (validatePodResources, validateResourceClaimNames, validatePodHostNetworkDeps and the
hostPorts SetDefaults_Pod gives a hostNetwork Pod, v1.35). Each case asserts the codes and lines a
learner sees."""

import textwrap

import pytest

from learn.podspec import check
from learn.podspec.kubelet import NotRunnable, simulate

# The manifest of issue #15: every line of it but the last port was accepted in silence.
ISSUE = """\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  hostNetwork: true
  resources:
    limits: {cpu: "1", memory: 1Gi, example.com/gpu: 1}
  containers:
  - name: a
    image: nginx:1.27
    ports: [{containerPort: 8080}]
    resources:
      claims: [{name: gpu}]
  - name: b
    image: nginx:1.27
    ports: [{containerPort: 8080}]
"""

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: web}}
spec:
{spec}"""


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{spec}"""


def errors(text: str, **options: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in check(text, **options).sorted() if d.severity == "error"]


def pod(spec: str) -> str:
    return POD.format(spec=spec)


def deployment(spec: str) -> str:
    """The same pod spec as a Deployment's template (four lines down, indented four more)."""
    return DEPLOYMENT.format(spec=textwrap.indent(spec, "    "))


def test_the_issues_manifest_reports_each_thing_the_api_server_rejects():
    report = check(ISSUE)
    assert [(d.code, d.line) for d in report.sorted() if d.severity == "error"] == [
        ("invalid-resource-name", 7),
        ("undefined-claim", 13),
        ("host-port-conflict", 16),
    ]


# Pod-level resources ----------------------------------------------------------------------------


def test_a_pod_level_resource_other_than_cpu_memory_or_huge_pages_is_refused_at_its_name():
    report = check(ISSUE)
    error = next(d for d in report.errors if d.code == "invalid-resource-name")
    assert (error.line, error.column) == (7, 37)
    assert error.path == "spec.resources.limits.example.com/gpu"
    assert "`example.com/gpu`" in error.message
    assert "pod level" in error.message
    assert "cpu, memory and hugepages-<size>" in error.message


def test_pod_level_huge_pages_are_allowed_with_their_own_rules():
    spec = (
        "  resources:\n"
        "    requests: {hugepages-2Mi: 4Mi}\n"
        "  containers:\n"
        "  - {name: web, image: nginx:1.27}\n"
    )
    # Huge pages cannot be overcommitted and need cpu or memory beside them, at pod level too.
    assert errors(pod(spec)) == [("hugepages-without-cpu-memory", 5), ("missing-limit", 6)]


def test_pod_level_requests_cannot_exceed_pod_level_limits():
    spec = (
        "  resources:\n"
        "    requests: {cpu: '2'}\n"
        "    limits: {cpu: '1'}\n"
        "  containers:\n"
        "  - {name: web, image: nginx:1.27}\n"
    )
    report = check(pod(spec))
    assert [(d.code, d.line) for d in report.errors] == [("requests-exceed-limits", 6)]
    assert "the pod requests more cpu than its limit (2 > 1)" in report.errors[0].message


def test_the_containers_requests_together_cannot_exceed_the_pods_request():
    spec = (
        "  resources:\n"
        "    requests: {memory: 100Mi}\n"
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources: {requests: {memory: 80Mi}}\n"
        "  - name: log\n"
        "    image: busybox:1.37\n"
        "    resources: {limits: {memory: 40Mi}}\n"  # its request defaults to the limit
    )
    report = check(pod(spec))
    assert [(d.code, d.line, d.path) for d in report.errors] == [
        ("pod-request-below-containers", 6, "spec.resources.requests.memory")
    ]
    assert "120Mi" in report.errors[0].message
    assert "100Mi" in report.errors[0].message


def test_a_sidecar_counts_with_the_apps_and_an_init_container_only_at_its_peak():
    spec = (
        "  resources:\n"
        "    requests: {cpu: 500m}\n"
        "  initContainers:\n"
        "  - {name: setup, image: busybox:1.37, resources: {requests: {cpu: 500m}}}\n"
        "  containers:\n"
        "  - {name: web, image: nginx:1.27, resources: {requests: {cpu: 300m}}}\n"
    )
    assert errors(pod(spec)) == []  # the init container's 500m ends before web's 300m starts
    sidecar = spec.replace("name: setup,", "name: setup, restartPolicy: Always,")
    assert errors(pod(sidecar)) == [("pod-request-below-containers", 6)]


def test_a_resource_the_pod_does_not_request_is_not_compared():
    spec = (
        "  resources:\n"
        "    limits: {cpu: '1'}\n"  # the Pod's requests default to its containers' then
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources: {requests: {memory: 1Gi, ephemeral-storage: 1Gi}}\n"
    )
    assert errors(pod(spec)) == []


def test_a_container_limit_cannot_exceed_the_pods_limit():
    spec = (
        "  resources:\n"
        "    limits: {cpu: '1'}\n"
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources: {limits: {cpu: '2'}}\n"
    )
    report = check(pod(spec))
    # The container's request defaults to its limit, and the pod's request to their total: the
    # API server also finds that request above the pod's limit.
    assert [(d.code, d.line, d.path) for d in report.errors] == [
        ("requests-exceed-limits", 6, "spec.resources.limits.cpu"),
        ("container-limit-above-pod", 10, "spec.containers[0].resources.limits.cpu"),
    ]
    assert "line 6" in report.errors[1].message


def test_the_pods_and_its_containers_amounts_link_the_lesson_on_cgroups():
    spec = (
        "  resources: {requests: {cpu: 100m}}\n"
        "  containers:\n"
        "  - {name: web, image: nginx:1.27, resources: {requests: {cpu: 200m}}}\n"
    )
    (error,) = check(pod(spec)).errors
    assert error.lesson == "what-is-a-container/namespaces-and-cgroups"


def test_claims_are_not_allowed_in_pod_level_resources():
    spec = (
        "  resourceClaims: [{name: gpu, resourceClaimTemplateName: gpu}]\n"
        "  resources:\n"
        "    claims: [{name: gpu}]\n"
        "  containers:\n"
        "  - {name: web, image: nginx:1.27}\n"
    )
    report = check(pod(spec))
    assert [(d.code, d.line) for d in report.errors] == [("invalid-value", 7)]
    assert "claims" in report.errors[0].message


def test_pod_level_resources_are_checked_in_a_pod_template_too():
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      resources:
        limits: {nvidia.com/gpu: 1}
      containers:
      - {name: web, image: nginx:1.27}
"""
    assert errors(deployment) == [("invalid-resource-name", 10)]


# Resource claims ---------------------------------------------------------------------------------


def test_a_container_claim_must_name_an_entry_of_the_pods_resource_claims():
    report = check(ISSUE)
    error = next(d for d in report.errors if d.code == "undefined-claim")
    assert error.path == "spec.containers[0].resources.claims[0].name"
    assert "`gpu`" in error.message
    assert "resourceClaims" in error.message
    assert "resourceClaimTemplateName" in error.hint


def test_claims_in_init_containers_are_checked_and_a_claim_is_used_once_per_container():
    spec = (
        "  resourceClaims:\n"
        "  - {name: gpu, resourceClaimTemplateName: gpu-template}\n"
        "  initContainers:\n"
        "  - name: setup\n"
        "    image: busybox:1.37\n"
        "    resources: {claims: [{name: gpus}]}\n"
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources:\n"
        "      claims: [{name: gpu}, {name: gpu}]\n"
    )
    assert errors(pod(spec)) == [("undefined-claim", 10), ("duplicate-claim", 15)]


def test_a_whole_claim_after_one_of_its_requests_is_a_duplicate():
    spec = (
        "  resourceClaims: [{name: gpu, resourceClaimName: shared-gpu}]\n"
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources:\n"
        "      claims: [{name: gpu, request: small}, {name: gpu, request: large}, {name: gpu}]\n"
    )
    assert errors(pod(spec)) == [("duplicate-claim", 10)]


def test_the_pods_resource_claims_need_a_unique_name_and_exactly_one_source():
    spec = (
        "  resourceClaims:\n"
        "  - {name: gpu, resourceClaimName: a, resourceClaimTemplateName: b}\n"
        "  - {name: gpu, resourceClaimName: shared}\n"
        "  - {name: Big_GPU, resourceClaimName: shared}\n"
        "  - {name: nic}\n"
        "  containers:\n"
        "  - {name: web, image: nginx:1.27}\n"
    )
    assert errors(pod(spec)) == [
        ("invalid-value", 6),
        ("duplicate-claim", 7),
        ("invalid-name", 8),
        ("missing-field", 9),
    ]


def test_a_claim_without_a_name_is_reported_once_whether_absent_or_empty():
    spec = (
        "  resourceClaims: [{resourceClaimName: shared}]\n"  # the schema's: name is required
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources: {claims: [{request: small}, {name: ''}]}\n"
    )
    assert errors(pod(spec)) == [("missing-field", 5), ("missing-field", 9), ("missing-field", 9)]
    report = check(pod(spec))
    assert len({(d.line, d.column) for d in report.errors}) == 3


# hostNetwork and host ports ----------------------------------------------------------------------


def test_with_host_network_a_pods_container_ports_are_node_ports_that_clash():
    report = check(ISSUE)
    error = next(d for d in report.errors if d.code == "host-port-conflict")
    assert (error.line, error.column, error.path) == (
        16,
        29,
        "spec.containers[1].ports[0].hostPort",
    )
    assert "hostNetwork" in error.message
    assert "node" in error.message
    assert "`a`" in error.message


def test_a_pod_templates_unset_host_ports_clash_in_each_of_its_pods_not_in_it():
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers:
      - {name: a, image: nginx:1.27, ports: [{containerPort: 8080}]}
      - {name: b, image: nginx:1.27, ports: [{containerPort: 8080}]}
"""
    # The template is checked as written (no hostPort); each Pod gets its hostPorts, then clashes.
    (error,) = check(deployment).errors
    assert (error.code, error.line) == ("host-port-conflict", 12)
    assert "the API server accepts the Deployment" in error.message
    assert "will reject each of its Pods" in error.message
    with pytest.raises(NotRunnable, match="the API server accepts this Deployment"):
        simulate(deployment)


def test_with_host_network_a_written_host_port_must_equal_the_container_port():
    spec = (
        "  hostNetwork: true\n"
        "  containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    ports: [{containerPort: 8080, hostPort: 80}, {containerPort: 9090, hostPort: 9090}]\n"
    )
    report = check(pod(spec))
    assert [(d.code, d.line, d.path) for d in report.errors] == [
        ("host-port-mismatch", 9, "spec.containers[0].ports[0].hostPort")
    ]
    assert "8080" in report.errors[0].message


@pytest.mark.parametrize("kind", ["Pod", "Deployment"])
def test_the_host_port_rule_holds_for_pods_and_templates(kind):
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers:
      - {name: a, image: nginx:1.27, ports: [{containerPort: 8080, hostPort: 8081}]}
"""
    text = (
        deployment
        if kind == "Deployment"
        else pod(
            "  hostNetwork: true\n  containers:\n"
            "  - {name: a, image: nginx:1.27, ports: [{containerPort: 8080, hostPort: 8081}]}\n"
        )
    )
    assert [d.code for d in check(text).errors] == ["host-port-mismatch"]


# The simulator's refusal -------------------------------------------------------------------------


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:17.2
        volumeMounts: [{name: dat, mountPath: /data}]
"""


def test_the_simulator_says_a_statefulset_is_accepted_but_its_pods_would_be_rejected():
    with pytest.raises(NotRunnable) as refused:
        simulate(STATEFULSET)
    message = str(refused.value)
    assert "accepts this StatefulSet" in message
    assert "reject each of its Pods" in message
    assert "fix its 1 error first" in message
    assert "line 13" in message


def test_the_simulator_says_the_api_server_rejects_a_statefulset_with_an_error_of_its_own():
    text = STATEFULSET.replace("labels: {app: db}", "labels: {app: web}")
    with pytest.raises(NotRunnable, match="the API server would reject this spec") as refused:
        simulate(text)
    assert "accepts this StatefulSet" not in str(refused.value)


def test_the_simulator_says_a_statefulsets_bad_claim_template_is_refused_by_claim_or_pod():
    text = STATEFULSET.replace("name: dat,", "name: Data,") + (
        "  volumeClaimTemplates:\n"
        "  - metadata: {name: Data}\n"
        "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
    )
    with pytest.raises(NotRunnable, match="accepts this StatefulSet") as refused:
        simulate(text)
    assert "the claims or Pods its controller makes" in str(refused.value)


# What the defaults of a Pod change (SetDefaults_Pod, defaultPodRequests, v1.35) ----------------


def test_a_pod_s_huge_pages_count_its_defaulted_memory_request():
    # With pod-level limits, the pod's memory request is what its containers ask (1Gi: the
    # container's limit), so its huge pages have memory beside them; a template is not defaulted.
    spec = (
        "  resources: {limits: {hugepages-2Mi: 100Mi}}\n"
        "  containers:\n"
        "  - name: app\n"
        "    image: nginx:1.27\n"
        "    resources: {limits: {memory: 1Gi, hugepages-2Mi: 100Mi}}\n"
    )
    assert errors(pod(spec)) == []
    template = deployment(spec)
    assert errors(template) == [("hugepages-without-cpu-memory", 9)]


def test_a_pod_request_defaulted_from_its_containers_cannot_exceed_the_pod_s_limit():
    spec = (
        "  resources: {limits: {cpu: '1', memory: 1Gi}}\n"
        "  containers:\n"
        "  - {name: app, image: nginx:1.27, resources: {requests: {cpu: '2'}}}\n"
    )
    (error,) = check(pod(spec)).errors
    assert (error.code, error.line) == ("requests-exceed-limits", 5)
    assert "below what its containers request together (2)" in error.message


def test_a_template_s_pod_request_below_requests_its_containers_get_from_limits_rejects_pods():
    spec = (
        "  resources: {requests: {cpu: '1'}}\n"
        "  containers:\n"
        "  - {name: app, image: nginx:1.27, resources: {limits: {cpu: '2'}}}\n"
    )
    (error,) = check(pod(spec)).errors
    assert "accepts" not in error.message  # a Pod is defaulted, then rejected
    template = deployment(spec)
    (error,) = check(template).errors
    assert (error.code, error.line) == ("pod-request-below-containers", 9)
    assert "the API server accepts the Deployment" in error.message
