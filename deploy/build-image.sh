#!/usr/bin/env bash
# Build the site's image without pulling anything from an image registry: a Debian trixie base
# (Python 3.13, cairo, a font) made from Debian packages with mmdebstrap, then the Containerfile
# on top of it with podman. Packages still come from Debian and PyPI.
#
#   bash deploy/build-image.sh [--smoke] [IMAGE]     (as root; default IMAGE learn-containers:dev)
#
# --smoke then runs the image the way deploy/deployment.yaml does (read-only root filesystem,
# /tmp the only writable place, no capabilities, user 10001), runs the migration Job's commands,
# and asks the server for /healthz and /readyz as a kubelet does, a page, a static file and a PNG
# diagram, on loopback only. The base is made once; `podman rmi localhost/learn-base:trixie`
# makes the next run build it again with Debian's latest updates.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
if [ "${1:-}" = --smoke ]; then
  smoke=1
  shift
fi
image=${1:-localhost/learn-containers:dev}
base=localhost/learn-base:trixie

missing=()
for tool in podman mmdebstrap runc curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# What this kind of machine needs, and is harmless elsewhere: runc, because Debian 12's crun
# refuses a host with both cgroup v1 and v2 mounted; modest rlimits, because podman asks for more
# open files and processes than a root without CAP_SYS_RESOURCE may grant.
podman=(podman --runtime runc)
limits=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

# The Debian mirror this machine's apt already uses: the first main-archive URI of its sources.
debian_mirror() {
  grep -hoE '^(URIs:|deb) +[a-z]+://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
    /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v -e security -e updates |
    head -n 1
}

if ! "${podman[@]}" image exists "$base"; then
  echo "== base image $base from Debian packages (mmdebstrap)"
  tarball=$(mktemp /tmp/learn-base.XXXXXX.tar)
  trap 'rm -f "$tarball"' EXIT
  mmdebstrap --quiet --variant=minbase \
    --include=python3,python3-venv,ca-certificates,libcairo2,fonts-dejavu-core \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --aptopt='Acquire::Languages "none"' \
    trixie "$tarball" "$(debian_mirror)"
  "${podman[@]}" import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' "$tarball" "$base" >/dev/null
  rm -f "$tarball"
fi

echo "== $image from the Containerfile"
# The host's CA bundle is mounted over the build's during RUN steps only (nothing of it stays in
# the image), so pip trusts whatever the host trusts, an intercepting proxy included.
"${podman[@]}" build --quiet "${limits[@]}" --build-arg BASE_IMAGE="$base" \
  --volume /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
  --file Containerfile --tag "$image" . >/dev/null
"${podman[@]}" image prune --force >/dev/null
"${podman[@]}" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$image"
[ "$smoke" = 1 ] || exit 0

echo "== smoke test"
data=$(mktemp -d /tmp/learn-smoke.XXXXXX)
name=learn-smoke-$$
trap '"${podman[@]}" rm --force --time 2 "$name" >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
# SQLite in a folder of its own, shared by the migration and the server (PostgreSQL in a cluster).
chown 10001:10001 "$data"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pod=("${limits[@]}" --read-only --tmpfs "/tmp:rw,size=64m,mode=1777" --cap-drop ALL
  --security-opt no-new-privileges --user 10001:10001 --volume "$data:/data"
  --env DJANGO_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
  --env DJANGO_ALLOWED_HOSTS=learn.example.org --env DATABASE_URL=sqlite:////data/db.sqlite3)
# The image's own Python reads what the Job runs, so the smoke test runs exactly that.
in_image() { "${podman[@]}" run --rm --interactive "${limits[@]}" "$image" python "$@"; }
migrate=$(in_image -c 'import sys, yaml
print(yaml.safe_load(sys.stdin)["spec"]["template"]["spec"]["containers"][0]["command"][-1])' \
  <deploy/migrate-job.yaml)
"${podman[@]}" run --rm "${pod[@]}" "$image" sh -ec "$migrate" >/dev/null
"${podman[@]}" run --rm "${pod[@]}" "$image" python -c 'import psycopg; print("psycopg", psycopg.__version__)'
"${podman[@]}" run --detach --name "$name" "${pod[@]}" --publish "127.0.0.1:$port:8000" "$image" >/dev/null

url=http://127.0.0.1:$port
for _ in $(seq 60); do
  curl -fs -o /dev/null "$url/healthz" && break
  sleep 0.5
done
failed=0
expect() {  # expect STATUS PATH [curl options]: one request, its status compared
  local want=$1 path=$2 got
  shift 2
  got=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$@" "$url$path")
  echo "$got  ${path:0:60}"
  [ "${got%% *}" = "$want" ] || { echo "   expected $want"; failed=1; }
}
site=(-H 'Host: learn.example.org' -H 'X-Forwarded-Proto: https')
code=$(in_image -m learn.podspec encode - <deploy/deployment.yaml)
css=$(curl -s "${site[@]}" "$url/" | grep -o '/static/[^"]*\.css' | head -n 1 || true)
expect 200 /healthz -H 'Host: 10.1.2.3:8000' -A kube-probe/1.35
expect 200 /readyz -H 'Host: 10.1.2.3:8000' -A kube-probe/1.35
expect 301 / -H 'Host: learn.example.org'
expect 200 / "${site[@]}"
expect 200 "${css:-/static/missing.css}" "${site[@]}"
expect 200 "/diagram/png/$code" "${site[@]}"
if "${podman[@]}" logs "$name" 2>&1 | grep -q Traceback; then
  "${podman[@]}" logs "$name" 2>&1 | tail -n 30
  failed=1
fi
"${podman[@]}" stats --no-stream --format 'memory {{.MemUsage}}' "$name"
if [ "$failed" != 0 ]; then
  echo "smoke test FAILED"
  exit 1
fi
echo "smoke test passed"
