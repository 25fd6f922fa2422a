"""Which lesson explains the concept behind a diagnostic (`module/lesson` keys in content/, with
an optional `#section`).

`LESSONS` gives each code its lesson; `BY_PATH` refines that by where in the spec the problem is,
for codes whose meaning depends on the place (a `restartPolicy` on an init container makes a
sidecar; a `missing-field` in a probe is about probes). tests/test_course.py checks that every
target exists, section included.
"""

import re

_CGROUPS = "what-is-a-container/namespaces-and-cgroups"
_MANIFESTS = "what-kubernetes-does/manifests-and-the-api-server"

# Module 4: one network namespace and one port space per Pod; volumes; restarts and probes.
_SHARED_CONTEXT = "pods/the-pod-as-a-shared-context"
_PORT_SPACE = f"{_SHARED_CONTEXT}#one-network-namespace-one-ip-one-port-space-localhost"
_TWO_SERVERS = f"{_SHARED_CONTEXT}#two-servers-one-port"
_CONTAINER_PORT = f"{_SHARED_CONTEXT}#containerport-declares-it-does-not-reserve"
_SHARING_DATA = "pods/sharing-data-and-processes"
_EMPTYDIR = f"{_SHARING_DATA}#emptydir-scratch-space-for-the-pod"
_API_VOLUMES = f"{_SHARING_DATA}#volumes-that-carry-data-from-the-api"
_LIFECYCLE = "pods/lifecycle-probes-and-termination"
_RESTARTS = f"{_LIFECYCLE}#restarts-happen-in-place"
_PROBES = f"{_LIFECYCLE}#probes-liveness-readiness-and-startup"

# Module 5: what a regular init container may not have.
_INIT_LIMITS = (
    "init-containers/ordered-setup-with-init-containers#what-an-init-container-may-not-have"
)

# Module 7: native sidecars.
_NATIVE_SIDECAR = (
    "native-sidecars/why-native-sidecars#the-design-an-init-container-that-keeps-running"
)
_SIDECAR_READY = "native-sidecars/start-stop-restart-resources#readiness-feeds-the-pods-ready"
_RESTART_RULES = "native-sidecars/start-stop-restart-resources#per-container-restart-rules-are-a-different-feature"

# Module 6: the work queue as a Job.
_WORK_QUEUE = "multi-container-patterns/multi-node-patterns#the-work-queue-as-a-kubernetes-job"
_INDEXED_JOB = (
    "multi-container-patterns/multi-node-patterns#an-indexed-job-one-item-per-pod-no-queue-service"
)
# A Job's (or CronJob's) Pod restart policy: the path is a Deployment's too, so the rule sets it.
JOB_RESTART_POLICY = "multi-container-patterns/multi-node-patterns#the-restart-policy-a-job-allows"

LESSONS = {
    "invalid-quantity": _CGROUPS,
    "requests-exceed-limits": _CGROUPS,
    "request-must-equal-limit": _CGROUPS,
    "missing-limit": _CGROUPS,
    "hugepages-without-cpu-memory": _CGROUPS,
    "fractional-byte-value": _CGROUPS,
    "invalid-resource-name": _CGROUPS,
    "pod-request-below-containers": _CGROUPS,
    "container-limit-above-pod": _CGROUPS,
    "unset-cpu-requirements": _CGROUPS,
    "unset-memory-requirements": _CGROUPS,
    "host-pid": _CGROUPS,
    "host-ipc": _CGROUPS,
    "host-network": _CGROUPS,
    "latest-tag": "what-is-a-container/images-and-the-oci-specs",
    "privileged-container": "containers-vs-vms/sandboxed-runtimes",
    # What the API server checks in every object it is sent.
    "unknown-kind": _MANIFESTS,
    "unknown-field": _MANIFESTS,
    "wrong-type": _MANIFESTS,
    "missing-field": _MANIFESTS,
    "invalid-name": _MANIFESTS,
    "invalid-label": _MANIFESTS,
    "invalid-value": _MANIFESTS,
    "duplicate-container-name": _MANIFESTS,
    "selector-mismatch": "what-kubernetes-does/desired-state-and-who-runs-your-container",
    # One network namespace and one port space per Pod.
    "port-conflict": _TWO_SERVERS,
    "host-port-conflict": _CONTAINER_PORT,
    "port-out-of-range": _CONTAINER_PORT,
    "duplicate-port": _CONTAINER_PORT,
    "ambiguous-host-port": _CONTAINER_PORT,
    "duplicate-port-name": _CONTAINER_PORT,
    "host-ip-without-host-port": _CONTAINER_PORT,
    "host-port-mismatch": _CONTAINER_PORT,
    # Volumes are how the containers of a Pod share files.
    "undefined-volume": _EMPTYDIR,
    "unused-volume": _EMPTYDIR,
    "duplicate-volume-name": _EMPTYDIR,
    "duplicate-mount-path": _EMPTYDIR,
    "claim-replaces-volume": _EMPTYDIR,
    # Restarts and probes; a probe on a regular init container is refused.
    "invalid-restart-policy": _RESTARTS,
    "no-liveness-probe": _PROBES,
    "no-readiness-probe": _PROBES,
    # A sidecar's readiness counts toward the Pod's Ready condition.
    "no-sidecar-readiness-probe": _SIDECAR_READY,
    "probe-not-allowed": _INIT_LIMITS,
}

_CONTAINER = r"(^|\.)(initContainers|containers|ephemeralContainers)\[\d+\]"
_INIT = r"(^|\.)initContainers\[\d+\]"
_APP = r"(^|\.)containers\[\d+\]"
_PROBE = rf"{_CONTAINER}\.(livenessProbe|readinessProbe|startupProbe)(\.|$)"
_PORT = rf"{_CONTAINER}\.ports\[\d+\]\."
_RULES = rf"{_CONTAINER}\.restartPolicyRules(\[\d+\]|\.|$)"

# For a code, (pattern, lesson) pairs tried in order against the diagnostic's path; the first
# that matches wins, and LESSONS answers when none does.
BY_PATH: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "invalid-restart-policy": (
        # restartPolicyRules, on any container, are ContainerRestartRules.
        (re.compile(_RULES), _RESTART_RULES),
        # A container-level `restartPolicy` on an init container is what makes it a native
        # sidecar, so a problem with one is explained there, not with the Pod-level policy.
        (re.compile(rf"{_INIT}\.restartPolicy$"), _NATIVE_SIDECAR),
        # On an app container it is a per-container restart policy (1.35, beta).
        (re.compile(rf"{_APP}\.restartPolicy$"), _RESTART_RULES),
    ),
    "missing-field": (
        (re.compile(_PROBE), _PROBES),
        # `restartPolicyRules` without the `restartPolicy` they refine.
        (re.compile(rf"{_CONTAINER}\.restartPolicy$"), _RESTART_RULES),
    ),
    "invalid-value": (
        (re.compile(_PROBE), _PROBES),
        (re.compile(_RULES), _RESTART_RULES),
        (re.compile(_PORT), _CONTAINER_PORT),
        (re.compile(rf"{_CONTAINER}\.volumeMounts\[\d+\]\.subPath$"), _API_VOLUMES),
    ),
    "invalid-name": (
        (re.compile(_PORT), _CONTAINER_PORT),
        (re.compile(r"(^|\.)volumes\[\d+\]\.name$"), _EMPTYDIR),
    ),
}


def lesson_for(code: str, path: str = "") -> str:
    """The lesson key for a diagnostic code at a path, or "" when no lesson covers it yet."""
    for pattern, lesson in BY_PATH.get(code, ()):
        if pattern.search(path):
            return lesson
    return LESSONS.get(code, "")


_SPEC = r"(^|\.)spec\."  # a Pod's spec, or a workload's pod template spec
_TERMINATION = f"{_LIFECYCLE}#termination-from-delete-to-sigkill"

# For a field under the pointer in the editor, (pattern, lesson) pairs tried in order against its
# path (`spec.template.spec.containers[0].ports`); the first that matches names the lesson.
FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), lesson)
    for pattern, lesson in (
        (_RULES, _RESTART_RULES),
        (rf"{_INIT}\.restartPolicy$", _NATIVE_SIDECAR),
        (r"(^|\.)initContainers(\[\d+\])?$", "init-containers/ordered-setup-with-init-containers"),
        (_PROBE, _PROBES),
        (rf"{_CONTAINER}\.image$", "what-is-a-container/images-and-the-oci-specs"),
        (rf"{_CONTAINER}\.ports(\[\d+\]|$)", _CONTAINER_PORT),
        (rf"{_CONTAINER}\.resources(\.|$)", _CGROUPS),
        (rf"{_CONTAINER}\.(volumeMounts|volumeDevices)(\[\d+\]|$)", _EMPTYDIR),
        (rf"{_CONTAINER}\.lifecycle(\.|$)", _TERMINATION),
        (rf"{_SPEC}volumes\[\d+\]\.(configMap|secret|downwardAPI|projected)(\.|$)", _API_VOLUMES),
        (rf"{_SPEC}volumes(\[\d+\]|$)", _EMPTYDIR),
        (
            rf"{_SPEC}shareProcessNamespace$",
            f"{_SHARING_DATA}#sharing-processes-shareprocessnamespace",
        ),
        (rf"{_SPEC}terminationGracePeriodSeconds$", _TERMINATION),
        (rf"{_SPEC}restartPolicy$", _RESTARTS),
        # A Job's (or a CronJob's job template's) counts; a Pod spec has no such fields.
        (rf"{_SPEC}completionMode$", _INDEXED_JOB),
        (rf"{_SPEC}(parallelism|completions)$", _WORK_QUEUE),
        (rf"{_SPEC}(hostNetwork|hostPID|hostIPC)$", _CGROUPS),
        (rf"{_SPEC}containers$", _SHARED_CONTEXT),
        (r"^(apiVersion|kind|metadata)$", _MANIFESTS),
    )
)


def lesson_for_field(path: str) -> str:
    """The lesson key that teaches the field at a dotted path, or "" when none does."""
    return next((lesson for pattern, lesson in FIELDS if pattern.search(path)), "")
