"""Which lesson explains the concept behind a diagnostic (`module/lesson` keys in content/, with
an optional `#section`)."""

import re

_CGROUPS = "what-is-a-container/namespaces-and-cgroups"
_MANIFESTS = "what-kubernetes-does/manifests-and-the-api-server"
_SHARED_CONTEXT = "pods/the-pod-as-a-shared-context"
_SHARING_DATA = "pods/sharing-data-and-processes"
_LIFECYCLE = "pods/lifecycle-probes-and-termination"

LESSONS = {
    "invalid-quantity": _CGROUPS,
    "requests-exceed-limits": _CGROUPS,
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
    "port-conflict": _SHARED_CONTEXT,
    "host-port-conflict": _SHARED_CONTEXT,
    "port-out-of-range": _SHARED_CONTEXT,
    # Volumes are how the containers of a Pod share files.
    "undefined-volume": _SHARING_DATA,
    "unused-volume": _SHARING_DATA,
    "duplicate-volume-name": _SHARING_DATA,
    "duplicate-mount-path": _SHARING_DATA,
    "invalid-restart-policy": _LIFECYCLE,
    "no-liveness-probe": _LIFECYCLE,
    "no-readiness-probe": _LIFECYCLE,
    "probe-not-allowed": "init-containers/ordered-setup-with-init-containers",
}


# A container-level `restartPolicy` on an init container is what makes it a native sidecar, so a
# problem with one is explained there, not with the Pod-level policy the code is named after.
_NATIVE_SIDECAR = (
    "native-sidecars/why-native-sidecars#the-design-an-init-container-that-keeps-running"
)
_INIT_RESTART_POLICY = re.compile(r"(^|\.)initContainers\[\d+\]\.restartPolicy$")
BY_PATH = {"invalid-restart-policy": (_INIT_RESTART_POLICY, _NATIVE_SIDECAR)}


def lesson_for(code: str, path: str = "") -> str:
    """The lesson key for a diagnostic code at a path, or "" when no lesson covers it yet."""
    pattern, lesson = BY_PATH.get(code, (None, ""))
    if pattern is not None and pattern.search(path):
        return lesson
    return LESSONS.get(code, "")
