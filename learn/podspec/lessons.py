"""Which lesson explains the concept behind a diagnostic (`module/lesson` keys in content/)."""

LESSONS = {
    "invalid-quantity": "what-is-a-container/namespaces-and-cgroups",
    "requests-exceed-limits": "what-is-a-container/namespaces-and-cgroups",
    "unset-cpu-requirements": "what-is-a-container/namespaces-and-cgroups",
    "unset-memory-requirements": "what-is-a-container/namespaces-and-cgroups",
    "host-pid": "what-is-a-container/namespaces-and-cgroups",
    "host-ipc": "what-is-a-container/namespaces-and-cgroups",
    "host-network": "what-is-a-container/namespaces-and-cgroups",
    "latest-tag": "what-is-a-container/images-and-the-oci-specs",
    "privileged-container": "containers-vs-vms/sandboxed-runtimes",
}


def lesson_for(code: str) -> str:
    """The lesson key for a diagnostic code, or "" when no lesson covers it yet."""
    return LESSONS.get(code, "")
