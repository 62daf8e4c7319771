#!/usr/bin/env bash
# ci/containers.sh: a container engine and the images Faultline's container tests use.
#
# Usage: ci/containers.sh up      engine + images; prints the environment to use, e.g.
#                                 eval "$(ci/containers.sh up)"
#        ci/containers.sh env     prints that environment again (no change)
#        ci/containers.sh down    stops the engine this script started (by its pid)
#
# `up` is idempotent and does only what is missing:
#   - A Docker engine that already answers (DOCKER_HOST or the default socket) and can pull from a
#     registry: only the node image is built, faultline:dev from the Dockerfile with its defaults.
#   - Otherwise, as root: installs Debian's docker.io and docker-compose when missing, starts its own
#     dockerd with data root, exec root, pidfile and socket under $FAULTLINE_CONTAINERS_DIR (default
#     /var/lib/faultline-containers), and builds every image locally, since nothing can be pulled:
#       faultline/base:bookworm      debootstrap --variant=minbase bookworm, imported (about 4 min)
#       faultline/toxiproxy:2.8.0    FROM scratch, the static toxiproxy-server of
#                                    ../shared/tools/toxiproxy/ (skipped with a message when absent)
#       faultline/prometheus:deb12   Debian's prometheus package on the base
#       faultline:dev                the Dockerfile, BASE_IMAGE and BUILD_IMAGE = the base, the jar
#                                    testbed/target/faultline.jar copied in (built first if missing)
#     Images already present are reused; the engine's data root outlives `down`, so a second `up`
#     builds nothing but the node image layer of a changed jar.
# Writes .env in the project root (read by docker-compose: DOCKER_HOST and the image names) and
# prints the same variables as `export` lines, plus the Testcontainers settings this engine needs.
# Progress goes to stderr; stdout has only the export lines.
set -euo pipefail

root=$(cd -- "$(dirname -- "$0")/.." && pwd -P)
dir=${FAULTLINE_CONTAINERS_DIR:-/var/lib/faultline-containers}
sock="$dir/docker.sock"
own_host="unix://$sock"
toxiproxy_bin=${FAULTLINE_TOXIPROXY_SERVER:-"$root/../shared/tools/toxiproxy/toxiproxy-server"}
jar="$root/testbed/target/faultline.jar"

BASE=faultline/base:bookworm
TOXIPROXY=faultline/toxiproxy:2.8.0
PROMETHEUS=faultline/prometheus:deb12
NODE=faultline:dev

say() { echo "containers: $*" >&2; }
die() {
  echo "containers: $*" >&2
  exit 3
}

answers() { DOCKER_HOST=$1 timeout 20 docker info >/dev/null 2>&1; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The environment the tests and docker-compose need, one `export` line each, for the mode in use.
print_env() {
  local host=$1 local_images=$2
  {
    echo "export DOCKER_HOST=$host"
    if [ "$local_images" = yes ]; then
      # Ryuk's image cannot be pulled; /.dockerenv would make Testcontainers use the bridge gateway.
      echo "export TESTCONTAINERS_RYUK_DISABLED=true"
      echo "export TESTCONTAINERS_HOST_OVERRIDE=localhost"
      # Its start-up checks pull alpine, which cannot be had: minutes of retries before each run.
      echo "export TESTCONTAINERS_CHECKS_DISABLE=true"
      echo "export FAULTLINE_BASE_IMAGE=$BASE"
      echo "export FAULTLINE_BUILD_IMAGE=$BASE"
      if have_image "$TOXIPROXY"; then echo "export FAULTLINE_TOXIPROXY_IMAGE=$TOXIPROXY"; fi
      echo "export FAULTLINE_PROMETHEUS_IMAGE=$PROMETHEUS"
      echo "export FAULTLINE_PREBUILT_JAR=testbed/target/faultline.jar"
    fi
  }
}

write_dotenv() {
  # docker-compose reads .env from the project directory: DOCKER_HOST and the image names.
  print_env "$@" | sed 's/^export //' >"$root/.env"
}

engine_pid() {
  [ -f "$dir/dockerd.pid" ] || return 1
  local pid
  pid=$(cat "$dir/dockerd.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "no container engine here and not root: install ${missing[*]} (Debian) and rerun"
  say "installing ${missing[*]} (apt) ..."
  apt-get update -q >"$dir/apt.log" 2>&1 || die "apt-get update failed, see $dir/apt.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$dir/apt.log" 2>&1 ||
    die "apt-get install ${missing[*]} failed, see $dir/apt.log"
}

start_engine() {
  if engine_pid >/dev/null && answers "$own_host"; then
    say "dockerd already running (pid $(engine_pid)), socket $sock"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "starting dockerd needs root; run ci/containers.sh up as root"
  mkdir -p "$dir/root" "$dir/exec"
  say "starting dockerd (data root $dir/root, socket $sock) ..."
  # setsid: the daemon outlives this script; `down` stops it by the pid in its pidfile.
  setsid dockerd --data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    -H "$own_host" --storage-driver=overlay2 >"$dir/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 60); do
    if answers "$own_host"; then
      say "dockerd up (pid $(engine_pid))"
      return 0
    fi
    sleep 1
  done
  die "dockerd did not answer on $sock within 60 s; see $dir/dockerd.log"
}

stop_engine() {
  local pid
  if ! pid=$(engine_pid); then
    say "no dockerd of ours is running (pidfile $dir/dockerd.pid)"
    return 0
  fi
  say "stopping dockerd (pid $pid) ..."
  kill -TERM "$pid"
  local i
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || {
      say "dockerd stopped"
      return 0
    }
    sleep 1
  done
  say "dockerd (pid $pid) still running after 60 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# debootstrap runs in the background while the toxiproxy image and the jar build.
debootstrap_pid=
start_debootstrap() {
  have_image "$BASE" && return 0
  [ -f "$dir/rootfs/.complete" ] && return 0
  say "building the base image rootfs: debootstrap --variant=minbase bookworm (about 4 min) ..."
  rm -rf "$dir/rootfs.tmp"
  mkdir -p "$dir/rootfs.tmp"
  (debootstrap --variant=minbase bookworm "$dir/rootfs.tmp" >"$dir/debootstrap.log" 2>&1 &&
    touch "$dir/rootfs.tmp/.complete" && rm -rf "$dir/rootfs" && mv "$dir/rootfs.tmp" "$dir/rootfs") &
  debootstrap_pid=$!
}

import_base() {
  have_image "$BASE" && {
    say "$BASE present"
    return 0
  }
  if [ -n "$debootstrap_pid" ]; then
    wait "$debootstrap_pid" || die "debootstrap failed; see $dir/debootstrap.log"
  fi
  [ -f "$dir/rootfs/.complete" ] || die "no complete rootfs in $dir/rootfs; see $dir/debootstrap.log"
  say "importing $BASE ..."
  tar -C "$dir/rootfs" --exclude=./.complete -c . | docker import - "$BASE" >/dev/null
  rm -rf "$dir/rootfs"
}

build_toxiproxy() {
  have_image "$TOXIPROXY" && {
    say "$TOXIPROXY present"
    return 0
  }
  if [ ! -x "$toxiproxy_bin" ]; then
    say "no toxiproxy-server at $toxiproxy_bin: no Toxiproxy image; its tests will skip"
    return 0
  fi
  say "building $TOXIPROXY from $toxiproxy_bin ..."
  local ctx
  ctx=$(mktemp -d)
  cp "$toxiproxy_bin" "$ctx/toxiproxy"
  cat >"$ctx/Dockerfile" <<'EOF'
# Toxiproxy's static server alone, laid out as the upstream image: API on 8474.
FROM scratch
COPY toxiproxy /toxiproxy
EXPOSE 8474
ENTRYPOINT ["/toxiproxy"]
CMD ["-host=0.0.0.0"]
EOF
  DOCKER_BUILDKIT=0 docker build -q -t "$TOXIPROXY" "$ctx" >"$dir/toxiproxy-build.log" 2>&1 ||
    die "building $TOXIPROXY failed; see $dir/toxiproxy-build.log"
  rm -rf "$ctx"
}

build_prometheus() {
  have_image "$PROMETHEUS" && {
    say "$PROMETHEUS present"
    return 0
  }
  say "building $PROMETHEUS (Debian's prometheus package) ..."
  local ctx
  ctx=$(mktemp -d)
  cat >"$ctx/Dockerfile" <<EOF
# Prometheus from Debian's package, laid out as the upstream image: config in
# /etc/prometheus/prometheus.yml, data in /prometheus, HTTP on 9090.
FROM $BASE
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /prometheus && chown prometheus:prometheus /prometheus
USER prometheus
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  DOCKER_BUILDKIT=0 docker build -q -t "$PROMETHEUS" "$ctx" >"$dir/prometheus-build.log" 2>&1 ||
    die "building $PROMETHEUS failed; see $dir/prometheus-build.log"
  rm -rf "$ctx"
}

build_node_local() {
  say "building $NODE from the Dockerfile (base $BASE, jar $jar) ..."
  DOCKER_BUILDKIT=0 docker build -q -t "$NODE" \
    --build-arg BASE_IMAGE="$BASE" --build-arg BUILD_IMAGE="$BASE" \
    --build-arg PREBUILT_JAR=testbed/target/faultline.jar "$root" >"$dir/node-build.log" 2>&1 ||
    die "building $NODE failed; see $dir/node-build.log"
}

ensure_jar() {
  [ -f "$jar" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "no $jar and no Maven to build it: install Maven 3.8+"
  say "building $jar (mvn -B -q -DskipTests package) ..."
  (cd "$root" && mvn -B -q -DskipTests package) >"$dir/jar-build.log" 2>&1 ||
    die "mvn package failed; see $dir/jar-build.log"
}

up() {
  local start=$SECONDS
  # A working engine that is not ours, with a registry: the node image is all that is missing.
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  if [ "$host" != "$own_host" ] && command -v docker >/dev/null 2>&1 && answers "$host" &&
    DOCKER_HOST=$host timeout 60 docker pull -q eclipse-temurin:17-jre >/dev/null 2>&1; then
    say "Docker answers on $host and images can be pulled: building $NODE only"
    DOCKER_HOST=$host docker build -t "$NODE" "$root" >&2
    write_dotenv "$host" no
    print_env "$host" no
    return 0
  fi

  mkdir -p "$dir"
  install_packages
  start_engine
  export DOCKER_HOST=$own_host
  start_debootstrap
  build_toxiproxy
  ensure_jar
  import_base
  build_prometheus &
  local prom=$!
  build_node_local
  wait "$prom" || die "building $PROMETHEUS failed; see $dir/prometheus-build.log"
  # Each new jar leaves the previous node image untagged: drop those, keep every tagged image.
  docker image prune -f >/dev/null 2>&1 || true
  say "ready in $((SECONDS - start)) s; images: $(docker images --format '{{.Repository}}:{{.Tag}}' | grep -c .)"
  write_dotenv "$own_host" yes
  print_env "$own_host" yes
}

case "${1:-}" in
up) up ;;
env)
  if answers "$own_host"; then
    DOCKER_HOST=$own_host print_env "$own_host" yes
  else
    die "no engine of ours answers on $sock: run ci/containers.sh up"
  fi
  ;;
down) stop_engine ;;
*) die "usage: ci/containers.sh up|env|down" ;;
esac
