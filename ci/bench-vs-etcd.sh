#!/usr/bin/env bash
# Faultline against etcd, same machine, same load generator, one run: a 3-node etcd and a 3-node
# Faultline on loopback, each driven by `faultline bench` (32-byte keys, 256-byte values):
#
#   - HTTP:  PUT and linearizable GET against Faultline's HTTP API and etcd's v3 JSON gateway;
#   - gRPC:  PUT and linearizable GET against Faultline's gRPC API and etcd's native gRPC API;
#
# each at IN_FLIGHT operations in flight (64), again at HIGH_IN_FLIGHT when set (e.g. 256), and
# with one client and one operation at a time (the one-client latency). Before the clusters start it
# times 4 KiB append + fdatasync in the data directory, and writes into zeros written ahead as the
# WAL does, in turn (`faultline bench fsync`), alone and three writers at once (as the three nodes of
# a cluster share the disk), so the disk's cost is measured in the same run. Then every figure, the ratios and whether each target is met, and for
# each of Faultline's one-client runs where its requests spent their time (ci/stages.py).
# Everything started here is stopped on exit, by pid.
#
# Each measurement follows a warm-up under the same load (not counted), 30 s by default. Before the
# first one, both clusters settle under the loads measured (PUT, then GET; HTTP, then gRPC), in
# rounds of SETTLE_ROUND: a fresh JVM spends its first minute or more compiling (a leader's C2 compiler
# threads took 27-45% of its CPU 20-60 s into a first PUT load), so without it the first
# measurement, HTTP PUT, measured the compiler rather than the store, and the later ones ran on code
# the earlier had compiled. Faultline settles until its nodes' JIT compilations, summed, took under
# SETTLE_BELOW (5%) of a round's time (jstat's compile time; at most SETTLE_ROUNDS rounds); etcd then runs as many rounds of the same
# load, so both systems hold the same history when measured. Each Faultline measurement also says
# how much CPU its nodes' compilers took during it.
#
# Environment:
#   FAULTLINE_JAR   default testbed/target/faultline.jar
#   DURATION        measured time per measurement (30s); WARMUP unmeasured time before it (30s)
#   IN_FLIGHT       operations in flight (64; CONCURRENCY is read too, for older callers)
#   HIGH_IN_FLIGHT  a second table at this many in flight (unset: none), e.g. 256
#   ONE_DURATION, ONE_WARMUP   the one-client measurements (10s each; the servers are warm by then)
#   SETTLE_ROUND    one round of the settling load (20s); SETTLE_ROUNDS at most this many (8; 0: none);
#                   SETTLE_BELOW the share of a round the nodes may spend compiling and be settled (5)
#   CHANNELS        gRPC channels the load shares (1, the same for both systems)
#   DATA_DIR        where both clusters keep their data (default: $TMPDIR or /tmp), e.g. a slow disk
#   SLOW_DISK_MS    put both clusters' data (and the fsync probe) on a slowed disk, torn down at exit:
#                   where the kernel has dm-delay, a loop device behind it adding this many whole ms
#                   to every I/O; otherwise ci/slowfs (a FUSE passthrough, built here) adding this
#                   many ms (0.4 is fine) to every fsync and fdatasync. Needs root.
#   ETCD_BASE_PORT (23790), FAULTLINE_BASE_PORT (28080), KEEP=1 keeps the work dir.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jar=${FAULTLINE_JAR:-$root/testbed/target/faultline.jar}
duration=${DURATION:-30s}
warmup=${WARMUP:-30s}
in_flight=${IN_FLIGHT:-${CONCURRENCY:-64}}
high=${HIGH_IN_FLIGHT:-}
one_duration=${ONE_DURATION:-10s}
one_warmup=${ONE_WARMUP:-10s}
channels=${CHANNELS:-1}
settle_round=${SETTLE_ROUND:-20s}
settle_rounds=${SETTLE_ROUNDS:-8}
settle_below=${SETTLE_BELOW:-5}
data_dir=${DATA_DIR:-${TMPDIR:-/tmp}}
slow_ms=${SLOW_DISK_MS:-}
etcd_base=${ETCD_BASE_PORT:-23790}
fl_base=${FAULTLINE_BASE_PORT:-28080}

die() {
  echo "bench-vs-etcd: $*" >&2
  exit 3
}

# Seconds in a duration written as N, Ns or Nm (the forms these options take here).
seconds() {
  case $1 in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
[[ $settle_rounds =~ ^[0-9]+$ ]] || die "SETTLE_ROUNDS=$settle_rounds: write a whole number"
[[ $settle_below =~ ^[0-9]+([.][0-9]+)?$ ]] || die "SETTLE_BELOW=$settle_below: write a percentage, e.g. 5"
for d in "$duration" "$warmup" "$one_duration" "$one_warmup" "$settle_round"; do
  [[ $d =~ ^[0-9]+[sm]?$ ]] || die "duration '$d': write N, Ns or Nm (e.g. 30s)"
done
[[ $in_flight =~ ^[1-9][0-9]*$ ]] || die "IN_FLIGHT=$in_flight: write a positive number"
[[ -z $high || $high =~ ^[1-9][0-9]*$ ]] || die "HIGH_IN_FLIGHT=$high: write a positive number"
[[ -z $slow_ms || $slow_ms =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "SLOW_DISK_MS=$slow_ms: write milliseconds, e.g. 1 or 0.4"
[[ -d $data_dir ]] || die "DATA_DIR=$data_dir: not a directory; create it first"

if [[ ! -f "$jar" ]]; then
  die "$jar not found: build it with 'mvn -B -q -pl testbed -am package -DskipTests'"
fi

if ! command -v etcd >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    die "etcd is not installed; run as root to install Debian's etcd-server"
  fi
  echo "installing etcd-server from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null
fi

# The slow disk is checked before anything starts, so a refusal leaves nothing behind.
slow_kind=""
if [[ -n $slow_ms ]]; then
  [[ $(id -u) -eq 0 ]] || die "SLOW_DISK_MS needs root (a loop device and dm-delay, or a FUSE mount)"
  if command -v dmsetup >/dev/null && { dmsetup targets 2>/dev/null | grep -q '^delay' ||
    { modprobe dm_delay 2>/dev/null && dmsetup targets 2>/dev/null | grep -q '^delay'; }; }; then
    [[ $slow_ms =~ ^[0-9]+$ ]] || die "SLOW_DISK_MS=$slow_ms: dm-delay takes whole milliseconds"
    slow_kind=dm-delay
  elif [[ -c /dev/fuse ]] && grep -qw fuse /proc/filesystems; then
    # No dm-delay in this kernel: a FUSE passthrough that delays each sync instead.
    if ! command -v fusermount3 >/dev/null || ! pkg-config --exists fuse3 2>/dev/null ||
      ! command -v gcc >/dev/null; then
      echo "installing fuse3, libfuse3-dev, pkg-config and gcc from Debian's packages (for ci/slowfs)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fuse3 libfuse3-dev pkg-config gcc >/dev/null
    fi
    slow_kind=slowfs
  else
    die "SLOW_DISK_MS: this kernel has neither dm-delay ('dmsetup targets' lists no delay) nor FUSE; put DATA_DIR on a slow device instead"
  fi
fi

work=""
loop_dev=""
dm_name=""
mnt=""
slow_base=""
slowfs_pid=""
etcd_pids=()
cleanup() {
  set +e
  for p in "${etcd_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${etcd_pids[@]}"; do wait "$p" 2>/dev/null; done
  if [[ -n $work && -f "$work/faultline/cluster.json" ]]; then
    java -jar "$jar" cluster down --data "$work/faultline" >/dev/null
  fi
  if [[ -n $work ]]; then
    if [[ "${KEEP:-0}" == 1 && -z $mnt ]]; then echo "kept $work"; else rm -rf "$work"; fi
  fi
  if [[ -n $slowfs_pid ]]; then
    fusermount3 -u "$mnt"
    for _ in $(seq 1 50); do kill -0 "$slowfs_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$slowfs_pid" 2>/dev/null
    wait "$slowfs_pid" 2>/dev/null
  elif [[ -n $mnt ]]; then
    umount "$mnt"
    rmdir "$mnt"
  fi
  [[ -n $dm_name ]] && dmsetup remove "$dm_name"
  [[ -n $loop_dev ]] && losetup -d "$loop_dev"
  [[ -n ${slow_img:-} ]] && rm -f "$slow_img"
  [[ -n $slow_base ]] && rm -rf "$slow_base"
}
trap cleanup EXIT INT TERM

if [[ $slow_kind == dm-delay ]]; then
  # A 4 GiB sparse file on DATA_DIR, as a loop device, behind dm-delay, as ext4, mounted.
  slow_img=$(mktemp "$data_dir/bench-vs-etcd-disk.XXXXXX")
  truncate -s 4G "$slow_img"
  loop_dev=$(losetup --find --show "$slow_img")
  sectors=$(blockdev --getsz "$loop_dev")
  dm_name=bench-vs-etcd-$$
  dmsetup create "$dm_name" --table "0 $sectors delay $loop_dev 0 $slow_ms"
  mkfs.ext4 -q "/dev/mapper/$dm_name"
  mnt=$(mktemp -d /tmp/bench-vs-etcd-mnt.XXXXXX)
  mount "/dev/mapper/$dm_name" "$mnt"
  data_dir=$mnt
elif [[ $slow_kind == slowfs ]]; then
  # DATA_DIR/…/src seen through ci/slowfs at DATA_DIR/…/mnt, each sync held SLOW_DISK_MS longer.
  slow_base=$(mktemp -d "$data_dir/bench-vs-etcd-slowfs.XXXXXX")
  mkdir "$slow_base/src" "$slow_base/mnt"
  # shellcheck disable=SC2046 # pkg-config prints several flags
  gcc -O2 -Wall -o "$slow_base/slowfs" "$root/ci/slowfs/slowfs.c" $(pkg-config --cflags --libs fuse3)
  micros=$(awk -v ms="$slow_ms" 'BEGIN { printf "%d", ms * 1000 + 0.5 }')
  "$slow_base/slowfs" "$slow_base/src" "$slow_base/mnt" "$micros" -f -o max_threads=64 \
    >"$slow_base/slowfs.log" 2>&1 &
  slowfs_pid=$!
  mnt=$slow_base/mnt
  for _ in $(seq 1 50); do
    grep -q " $mnt fuse" /proc/mounts && break
    sleep 0.1
  done
  grep -q " $mnt fuse" /proc/mounts || die "ci/slowfs did not mount $mnt; see $slow_base/slowfs.log"
  data_dir=$mnt
fi

work=$(mktemp -d "$data_dir/bench-vs-etcd.XXXXXX")

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p), $(etcd --version | sed -n 1p), $(date -u +%Y-%m-%dT%H:%MZ)"
load_start=$(cut -d' ' -f1 /proc/loadavg)
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $work ($(df -T "$work" | awk 'NR == 2 { print $2 " on " $1 }')${slow_kind:+, $slow_kind adding $slow_ms ms})"
java -jar "$jar" bench fsync --dir "$work" --count 2000 --max-time 20s | tee "$work/fsync.txt" | sed 's/^/  /'
# Three writers at once: the disk as the three nodes of one cluster share it, which is what each
# node's sync costs under a one-client PUT (all three sync the same entry at the same moment).
java -jar "$jar" bench fsync --dir "$work" --count 1000 --max-time 20s --writers 3 |
  tee "$work/fsync3.txt" | sed 's/^/  /'

# etcd: member i serves clients (gRPC and the JSON gateway on one port) on etcd_base+i-1 and
# peers on etcd_base+100+i-1.
cluster=""
for i in 1 2 3; do
  cluster+="${cluster:+,}e$i=http://127.0.0.1:$((etcd_base + 100 + i - 1))"
done
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
done
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$etcd_base/health" | grep -q '"true"'; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$etcd_base/health" | grep -q '"true"' || {
  [[ -z $mnt ]] && KEEP=1 # keep the work dir for its logs, unless it lives on the slow disk
  die "etcd did not become healthy; see $work/etcd/*/etcd.log"
}

java -jar "$jar" cluster up --data "$work/faultline" --base-port "$fl_base" >"$work/faultline-up.txt"

# targets SYSTEM PROTOCOL: the --target arguments of one system for one protocol.
targets() {
  local i
  for i in 1 2 3; do
    case $1-$2 in
      etcd-http) echo "--target http://127.0.0.1:$((etcd_base + i - 1))" ;;
      etcd-grpc) echo "--target 127.0.0.1:$((etcd_base + i - 1))" ;;
      faultline-http) echo "--target http://127.0.0.1:$((fl_base + i - 1))" ;;
      faultline-grpc) echo "--target 127.0.0.1:$((fl_base + 100 + i - 1))" ;;
    esac
  done
}

# The Faultline nodes' pids, from the cluster's file.
node_pids() {
  python3 -c 'import json, sys
print(" ".join(str(n["pid"]) for n in json.load(open(sys.argv[1]))["nodes"]))' \
    "$work/faultline/cluster.json"
}

# Seconds the Faultline nodes have spent compiling so far, summed over the nodes (jstat's compile
# time: each JIT compilation counted for as long as it took).
compile_seconds() {
  local pid t total=0
  for pid in $(node_pids); do
    t=$(jstat -compiler "$pid" 2>/dev/null | awk 'NR == 2 { print $4 }')
    total=$(awk -v a="$total" -v b="${t:-0}" 'BEGIN { print a + b }')
  done
  echo "$total"
}

# settle_round SYSTEM: one round of the settling load: the four loads measured at many in flight
# (HTTP PUT, HTTP GET, gRPC PUT, gRPC GET), a quarter of SETTLE_ROUND each, in the order measured.
# A mixed load alone left code to compile: the first measurement after three mixed rounds, HTTP
# PUT, still had the nodes compiling for 9.3 s of its 35 s.
settle_round() {
  local quarter=$(($(seconds "$settle_round") / 4)) protocol mix
  ((quarter > 0)) || quarter=1
  for protocol in http grpc; do
    for mix in put get; do
      # shellcheck disable=SC2046 # the target list is meant to split into words
      timeout --kill-after=10 $((quarter + 120)) java -jar "$jar" bench --system "$1" \
        --protocol "$protocol" $(targets "$1" "$protocol") --mix "$mix" \
        --in-flight "$in_flight" --channels "$channels" --duration "${quarter}s" --warmup 0s \
        >>"$work/settle.txt" 2>&1 || echo "  ($1 settling $protocol $mix failed; see settle.txt)"
    done
  done
}

run() { # system protocol mix in-flight duration warmup
  local system=$1 protocol=$2 mix=$3 n=$4 dur=$5 warm=$6
  local bound=$(($(seconds "$dur") + $(seconds "$warm") + 180))
  local compiled=
  echo "== $system $protocol $mix, $n in flight"
  [[ $system == faultline ]] && compiled=$(compile_seconds)
  # One failed measurement (e.g. a leader lost under load) is reported and shows as missing in the
  # summary; the others still run.
  # shellcheck disable=SC2046 # the target list is meant to split into words
  local staged=
  [[ $system == faultline && $n == 1 ]] && staged=1 && scrape before
  if ! timeout --kill-after=10 "$bound" java -jar "$jar" bench --system "$system" \
    --protocol "$protocol" $(targets "$system" "$protocol") --mix "$mix" --in-flight "$n" \
    --channels "$channels" --duration "$dur" --warmup "$warm" 2>&1 |
    tee -a "$work/results.txt" | sed 's/^/  /'; then
    echo "  ($system $protocol $mix at $n in flight failed: no figure)"
  elif [[ -n $staged ]]; then
    scrape after
    python3 "$root/ci/stages.py" "$mix" "$protocol ${mix^^}, one client" \
      "$work"/metrics-before-{1,2,3} "$work"/metrics-after-{1,2,3} 2>&1 |
      tee -a "$work/stages.txt" || true
  fi
  if [[ -n $compiled ]]; then
    awk -v a="$compiled" -v b="$(compile_seconds)" \
      'BEGIN { printf "  JIT: the nodes compiled for %.1f s in all during this warm-up and measurement\n", b - a }'
  fi
}

# scrape WHEN: every Faultline node's /metrics into $work/metrics-WHEN-<node>; a one-client run's
# per-stage breakdown (ci/stages.py) is the difference between two scrapes.
scrape() {
  local i
  for i in 1 2 3; do
    curl -sf --max-time 5 "http://127.0.0.1:$((fl_base + i - 1))/metrics" >"$work/metrics-$1-$i" ||
      : >"$work/metrics-$1-$i"
  done
}

rounds=0
if ((settle_rounds > 0)); then
  echo "== settling: put then get over HTTP, then gRPC, $in_flight in flight, in rounds of $settle_round, until the nodes compile for under $settle_below% of a round"
  while ((rounds < settle_rounds)); do
    before=$(compile_seconds)
    started=$SECONDS
    settle_round faultline
    rounds=$((rounds + 1))
    took=$((SECONDS - started))
    compiled=$(awk -v a="$before" -v b="$(compile_seconds)" 'BEGIN { printf "%.1f", b - a }')
    busy=$(awk -v c="$compiled" -v t="$took" 'BEGIN { printf "%.1f", 100 * c / (t > 0 ? t : 1) }')
    echo "  faultline round $rounds: the nodes compiled for $compiled s in this ${took} s round (${busy}%)"
    awk -v b="$busy" -v t="$settle_below" 'BEGIN { exit !(b < t) }' && break
  done
  echo "  etcd: $rounds round(s) of the same load, so both hold the same history"
  for _ in $(seq 1 "$rounds"); do settle_round etcd; done
fi

for n in "$in_flight" ${high:+"$high"}; do
  for protocol in http grpc; do
    for mix in put get; do
      run etcd "$protocol" "$mix" "$n" "$duration" "$warmup"
      run faultline "$protocol" "$mix" "$n" "$duration" "$warmup"
    done
  done
done
for protocol in http grpc; do
  for mix in put get; do
    run etcd "$protocol" "$mix" 1 "$one_duration" "$one_warmup"
    run faultline "$protocol" "$mix" 1 "$one_duration" "$one_warmup"
  done
done

echo
load_end=$(cut -d' ' -f1 /proc/loadavg)
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
sed -n -e 's/^fsync in [^:]*: /fsync: /p' -e 's/^  into zeros written ahead/fsync into zeros written ahead/p' "$work/fsync.txt"
sed -n -e 's/^  into zeros written ahead (as the WAL writes)/fsync into zeros written ahead, three writers at once (as the three nodes sync it)/p' "$work/fsync3.txt"
echo "summary (ops/s, p50/p99 ms):"
awk -v many="$in_flight $high" '
  /^RESULT system=/ {
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    key = f["system"] "-" f["protocol"] "-" f["mix"] "-" f["in_flight"]
    ops[key] = f["ops_per_sec"]; p50[key] = f["p50_ms"]; p99[key] = f["p99_ms"]
    printf "  %-10s %-5s %-4s %4s in flight %9s ops/s  p50 %8s  p99 %8s  errors %s\n", f["system"], f["protocol"], f["mix"], f["in_flight"], f["ops_per_sec"], f["p50_ms"], f["p99_ms"], f["errors"]
  }
  END {
    split(many, ns, " "); split("http grpc", protocols, " "); split("put get", mixes, " ")
    against["http"] = "etcd JSON gateway"; against["grpc"] = "etcd native gRPC"
    for (a = 1; a in ns; a++) {
      print ""
      printf "ratios at %s in flight (faultline / etcd, throughput):\n", ns[a]
      for (b = 1; b in protocols; b++) {
        for (c = 1; c in mixes; c++) {
          fl = "faultline-" protocols[b] "-" mixes[c] "-" ns[a]; et = "etcd-" protocols[b] "-" mixes[c] "-" ns[a]
          if (!(fl in ops) || !(et in ops) || ops[et] + 0 == 0) {
            printf "  %-4s %-3s vs %-17s: missing a figure; target >= 2x at no worse p99: not met\n", protocols[b], toupper(mixes[c]), against[protocols[b]]
            continue
          }
          ratio = ops[fl] / ops[et]
          met = (ratio >= 2 && p99[fl] + 0 <= p99[et] + 0) ? "met" : "not met"
          printf "  %-4s %-3s vs %-17s: %.2fx (%s vs %s ops/s), p99 %s vs %s ms; target >= 2x at no worse p99: %s\n", protocols[b], toupper(mixes[c]), against[protocols[b]], ratio, ops[fl], ops[et], p99[fl], p99[et], met
        }
      }
    }
    print ""
    print "one client, one op at a time (p50 / p99 ms; faultline target p50 <= 0.5 ms):"
    for (b = 1; b in protocols; b++) {
      for (c = 1; c in mixes; c++) {
        fl = "faultline-" protocols[b] "-" mixes[c] "-1"; et = "etcd-" protocols[b] "-" mixes[c] "-1"
        met = (fl in p50 && p50[fl] + 0 <= 0.5) ? "met" : "not met"
        printf "  %-4s %-3s: faultline %s / %s, etcd %s / %s; target p50 <= 0.5 ms: %s\n", protocols[b], toupper(mixes[c]), p50[fl], p99[fl], p50[et], p99[et], met
      }
    }
  }' "$work/results.txt"

# Only the load before anything started says whether other work was running: by the end the
# 1-minute average is mostly this script's own clusters and load generator.
if awk -v a="$load_start" -v n="$(nproc)" 'BEGIN { exit !(a > n) }'; then
  echo
  echo "note: the machine was busy before the run began (load average $load_start on $(nproc) cores);"
  echo "      other work shared the cores, so these figures cannot show whether a target is met."
fi
