#!/usr/bin/env bash
# Faultline against etcd, same machine, same load, one run: a 3-node etcd and a 3-node Faultline
# on loopback, each driven by `faultline bench` (PUT with 64 in flight, then linearizable GET with
# 64 in flight; 32-byte keys, 256-byte values), then both results and the ratios are printed.
# Everything started here is stopped on exit.
#
# Each measurement follows a warm-up under the same load (not counted), 30 s by default: a fresh
# JVM spends much of its first seconds compiling (C2 took about 38% of this 2-core machine's CPU in
# the first 20 s of a PUT load), so a short warm-up measures the compiler rather than the store.
# Both systems get the same warm-up.
#
# Environment: FAULTLINE_JAR (default testbed/target/faultline.jar), DURATION (30s), WARMUP (30s),
# CONCURRENCY (64), ETCD_BASE_PORT (23790), FAULTLINE_BASE_PORT (28080), KEEP=1 keeps the work dir.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jar=${FAULTLINE_JAR:-$root/testbed/target/faultline.jar}
duration=${DURATION:-30s}
warmup=${WARMUP:-30s}
concurrency=${CONCURRENCY:-64}
etcd_base=${ETCD_BASE_PORT:-23790}
fl_base=${FAULTLINE_BASE_PORT:-28080}

if [[ ! -f "$jar" ]]; then
  echo "bench-vs-etcd: $jar not found: build it with 'mvn -B -q -pl testbed -am package -DskipTests'" >&2
  exit 3
fi

if ! command -v etcd >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "bench-vs-etcd: etcd is not installed; run as root to install Debian's etcd-server" >&2
    exit 3
  fi
  echo "installing etcd-server from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null
fi

work=$(mktemp -d /tmp/bench-vs-etcd.XXXXXX)
etcd_pids=()
cleanup() {
  set +e
  for p in "${etcd_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${etcd_pids[@]}"; do wait "$p" 2>/dev/null; done
  if [[ -f "$work/faultline/cluster.json" ]]; then
    java -jar "$jar" cluster down --data "$work/faultline" >/dev/null
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

# etcd: member i serves clients on etcd_base+i-1 and peers on etcd_base+100+i-1.
cluster=""
for i in 1 2 3; do
  cluster+="${cluster:+,}e$i=http://127.0.0.1:$((etcd_base + 100 + i - 1))"
done
etcd_targets=()
for i in 1 2 3; do
  client=$((etcd_base + i - 1))
  peer=$((etcd_base + 100 + i - 1))
  mkdir -p "$work/etcd/e$i"
  etcd --name "e$i" --data-dir "$work/etcd/e$i/data" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token bench-vs-etcd \
    >"$work/etcd/e$i/etcd.log" 2>&1 &
  etcd_pids+=($!)
  etcd_targets+=(--target "http://127.0.0.1:$client")
done
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$etcd_base/health" | grep -q '"true"'; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$etcd_base/health" | grep -q '"true"' || {
  echo "bench-vs-etcd: etcd did not become healthy; see $work/etcd/*/etcd.log" >&2
  KEEP=1
  exit 3
}
etcd_version=$(etcd --version | sed -n 1p)

java -jar "$jar" cluster up --data "$work/faultline" --base-port "$fl_base" >"$work/faultline-up.txt"
fl_targets=()
for i in 1 2 3; do fl_targets+=(--target "http://127.0.0.1:$((fl_base + i - 1))"); done

run() { # system mix target-args...
  local system=$1 mix=$2
  shift 2
  local extra=()
  [[ $system == etcd ]] && extra=(--etcd)
  java -jar "$jar" bench "${extra[@]}" "$@" --mix "$mix" --concurrency "$concurrency" \
    --duration "$duration" --warmup "$warmup" | tee -a "$work/results.txt" | sed 's/^/  /'
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p), $etcd_version, $(date -u +%Y-%m-%dT%H:%MZ)"
for mix in put get; do
  echo "== etcd $mix"
  run etcd "$mix" "${etcd_targets[@]}"
  echo "== faultline $mix"
  run faultline "$mix" "${fl_targets[@]}"
done

echo
echo "summary (ops/s, p50/p99 ms):"
awk '
  /^RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    key = f["system"] "-" f["mix"]
    ops[key] = f["ops_per_sec"]; p50[key] = f["p50_ms"]; p99[key] = f["p99_ms"]
    printf "  %-10s %-4s %10s ops/s  p50 %8s  p99 %8s  errors %s\n", f["system"], f["mix"], f["ops_per_sec"], f["p50_ms"], f["p99_ms"], f["errors"]
  }
  END {
    split("put get", mixes, " ")
    for (m in mixes) {
      x = mixes[m]
      if (ops["etcd-" x] > 0) {
        ratio = ops["faultline-" x] / ops["etcd-" x]
        met = (ratio >= 2 && p99["faultline-" x] + 0 <= p99["etcd-" x] + 0) ? "met" : "not met"
        printf "  %s: faultline/etcd throughput %.2fx, p99 %s ms vs %s ms (target >= 2x at no worse p99: %s)\n", x, ratio, p99["faultline-" x], p99["etcd-" x], met
      }
    }
  }' "$work/results.txt"
