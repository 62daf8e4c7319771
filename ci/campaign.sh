#!/usr/bin/env bash
# ci/campaign.sh: a fault-injection campaign longer than `mvn verify`'s integration test.
#
# Runs `faultline test` over a matrix and prints a table:
#   - every nemesis (none, partition, partition-leader, kill, pause, disk, clock) with every workload
#     (kv, register, set, churn); these runs must all be VALID;
#   - every deliberate bug with the nemesis and workload that expose it (docs/BUGS.md): the node bugs
#     (stale-read, ack-before-commit, lost-rebuild-writes) must be found INVALID in at least 90 % of
#     their runs; the Raft core bugs, which the simulator catches (faultline sim --bug), at least once.
# Each cell runs RUNS times with seeds SEED, SEED+1, ... (one `--test-count` invocation per cell).
#
#   - with -m systems, other people's systems (docs/SYSTEMS.md): etcd (reads linearizable and
#     serializable), ZooKeeper (reads sync and local), Redis (without WAIT and with WAIT 2) and the
#     example primary-backup node, each under none, partition, partition-leader, kill and pause, and
#     all but etcd (a Go program, whose clock libfaketime does not reach) under clock.
#     These cells measure (their verdicts go into docs/SYSTEMS.md); only the example node is expected
#     to be caught under partition-leader.
#
# Usage: ci/campaign.sh [-n RUNS] [-t SECONDS] [-N NODES] [-s SEED] [-d STORE] [-m matrix|bugs|systems|all]
#                       [-f REGEX]
#   -n RUNS     runs per cell (default 3)
#   -t SECONDS  --time-limit of each run (default 30)
#   -N NODES    cluster size (default 5)
#   -s SEED     first seed (default 1)
#   -d STORE    where run directories go (default runs, where faultline serve looks)
#   -m PART     matrix, bugs (every bug), nodebugs (the three node bugs), systems, or all (matrix and
#               bugs; default all)
#   -f REGEX    only the cells whose name matches REGEX (grep -E), e.g. -m systems -f '^etcd'
# Environment: FAULTLINE_JAR (default testbed/target/faultline.jar, built by `mvn -B -DskipTests package`).
# The systems are installed by the first run that needs them when run as root (Debian packages
# etcd-server, zookeeper, redis-server, redis-sentinel); -m systems -n 5 -t 60 -N 3 is the full
# matrix of docs/SYSTEMS.md (40 cells, about 5 hours; each system alone with -f '^etcd' and so on).
#
# Bound: cells = 28 (matrix) + 7 (bugs); each run is killed after time-limit + 180 s, so the whole
# campaign takes at most 35 * RUNS * (SECONDS + 180) s; typically 35 * RUNS * (SECONDS + 25) s
# (about 100 minutes with the defaults; -m bugs -n 1 takes about 7 minutes). The detection figures of
# docs/BUGS.md: ci/campaign.sh -m nodebugs -n 10 -t 60 -N 3 (about 45 minutes).
#
# Exit: 0 when every matrix run is valid and every bug was caught; 1 otherwise; 3 on a setup error.
set -uo pipefail

runs=3 limit=30 nodes=5 seed=1 store=runs part=all filter=
while getopts "n:t:N:s:d:m:f:h" opt; do
  case "$opt" in
    n) runs=$OPTARG ;;
    t) limit=$OPTARG ;;
    N) nodes=$OPTARG ;;
    s) seed=$OPTARG ;;
    d) store=$OPTARG ;;
    m) part=$OPTARG ;;
    f) filter=$OPTARG ;;
    *) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 3 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd -P)
jar=${FAULTLINE_JAR:-$root/testbed/target/faultline.jar}
if [ ! -f "$jar" ]; then
  echo "campaign: no jar at $jar; build it with: mvn -B -DskipTests package" >&2
  exit 3
fi
case "$part" in matrix|bugs|nodebugs|systems|all) ;; *) echo "campaign: -m $part: use matrix, bugs, nodebugs, systems or all" >&2; exit 3 ;; esac

clock=""
for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
  [ -f "$lib" ] && clock=clock
done
if [ -z "$clock" ]; then
  echo "campaign: libfaketime not installed (apt-get install faketime); skipping the clock nemesis" >&2
fi

# cell: name | expectation | faultline test options
cells=()
if [ "$part" = matrix ] || [ "$part" = all ]; then
  for nemesis in none partition partition-leader kill pause disk $clock; do
    for workload in kv register set churn; do
      cells+=("$workload/$nemesis|valid|--workload $workload --nemesis $nemesis")
    done
  done
fi
if [ "$part" = systems ]; then
  example="python3 $root/examples/primary-backup/node.py --id {id} --host {host} --http-port {http_port}"
  example="$example --peer-port {peer_port} --peers {peers} --data {data_dir}"
  for nemesis in none partition partition-leader kill pause; do
    s="--interval 10 --workload kv --nemesis $nemesis"
    cells+=("etcd linearizable/$nemesis|measure|--db etcd --db-option reads=linearizable $s")
    cells+=("etcd serializable/$nemesis|measure|--db etcd --db-option reads=serializable $s")
    cells+=("zookeeper sync/$nemesis|measure|--db zookeeper --db-option reads=sync $s")
    cells+=("zookeeper local/$nemesis|measure|--db zookeeper --db-option reads=local $s")
    cells+=("redis wait=0/$nemesis|measure|--db redis --db-option wait=0 $s")
    cells+=("redis wait=2/$nemesis|measure|--db redis --db-option wait=2 $s")
    expect=measure
    [ "$nemesis" = partition-leader ] && expect=seen
    cells+=("example/$nemesis|$expect|--db process --db-cmd '$example' $s")
  done
  # The clock fault, for the systems whose clock libfaketime reaches (not etcd's: a Go program).
  if [ -n "$clock" ]; then
    s="--interval 10 --workload kv --nemesis clock"
    cells+=("zookeeper sync/clock|measure|--db zookeeper --db-option reads=sync $s")
    cells+=("zookeeper local/clock|measure|--db zookeeper --db-option reads=local $s")
    cells+=("redis wait=0/clock|measure|--db redis --db-option wait=0 $s")
    cells+=("redis wait=2/clock|measure|--db redis --db-option wait=2 $s")
    cells+=("example/clock|measure|--db process --db-cmd '$example' $s")
  fi
fi
if [ "$part" != matrix ] && [ "$part" != systems ]; then
  # Each bug with the faults and workload that expose it (docs/BUGS.md). `caught`: INVALID in at
  # least 90 % of the runs; `seen`: at least once. Clients bound to a deposed leader need a few seconds
  # to give up a write and read from it again, hence fault windows of 5-10 s (--interval 10).
  b="--interval 10 --workload kv"
  cells+=("bug stale-read|caught|--bug stale-read --nemesis partition-leader $b")
  cells+=("bug ack-before-commit|caught|--bug ack-before-commit --nemesis partition-leader $b")
  cells+=("bug lost-rebuild-writes|caught|--bug lost-rebuild-writes --nemesis none --workload churn")
fi
if [ "$part" = bugs ] || [ "$part" = all ]; then
  cells+=("bug read-without-quorum-check|seen|--bug read-without-quorum-check --nemesis partition-leader,pause $b")
  cells+=("bug commit-previous-term|seen|--bug commit-previous-term --nemesis partition,kill $b")
  cells+=("bug vote-not-persisted|seen|--bug vote-not-persisted --nemesis kill,partition $b")
  cells+=("bug truncate-committed|seen|--bug truncate-committed --nemesis partition $b")
fi

if [ -n "$filter" ]; then
  kept=()
  for cell in "${cells[@]}"; do
    grep -Eq -- "$filter" <<<"${cell%%|*}" && kept+=("$cell")
  done
  if [ "${#kept[@]}" -eq 0 ]; then
    echo "campaign: -f $filter matches no cell of -m $part" >&2
    exit 3
  fi
  cells=("${kept[@]}")
fi

bound=$(( (limit + 180) * runs ))
table=$(mktemp)
printf '%-36s %-8s %5s %6s %8s %8s %7s  %s\n' cell expect runs valid invalid unknown failed result > "$table"
failed_cells=0
for cell in "${cells[@]}"; do
  IFS='|' read -r name expect opts <<<"$cell"
  log=$(mktemp)
  # eval: the options of --db process carry a quoted command line.
  eval timeout --kill-after=30 "$bound" java -jar "\"$jar\"" test "$opts" --nodes "$nodes" \
    --time-limit "$limit" --seed "$seed" --test-count "$runs" --store "\"$store\"" >"$log" 2>&1
  code=$?
  # The summary line of each run: "faultline test: VALID  seed ..."
  valid=$(grep -c '^faultline test: VALID' "$log")
  invalid=$(grep -c '^faultline test: INVALID' "$log")
  unknown=$(grep -c '^faultline test: UNKNOWN' "$log")
  failed=$(grep -c '^faultline test: FAILED' "$log")
  missing=$(( runs - valid - invalid - unknown - failed ))
  [ "$missing" -gt 0 ] && failed=$(( failed + missing ))
  case "$expect" in
    valid) [ "$valid" -eq "$runs" ] && result=ok || result=UNEXPECTED ;;
    caught) [ $(( invalid * 10 )) -ge $(( runs * 9 )) ] && result=ok || result=MISSED ;;
    measure) [ "$failed" -eq 0 ] && result=ok || result=FAILED ;;
    *) [ "$invalid" -ge 1 ] && result=ok || result=MISSED ;;
  esac
  [ "$result" = ok ] || failed_cells=$((failed_cells + 1))
  [ "$code" -eq 124 ] && result="$result (timed out)"
  printf '%-36s %-8s %5d %6d %8d %8d %7d  %s\n' "$name" "$expect" "$runs" "$valid" "$invalid" \
    "$unknown" "$failed" "$result" | tee -a "$table"
  if [ "$result" != ok ]; then
    tail -n 5 "$log" | sed 's/^/    /'
  fi
  rm -f "$log"
done

echo
cat "$table"
rm -f "$table"
echo "cells ${#cells[@]}, not as expected: $failed_cells; runs in $store"
[ "$failed_cells" -eq 0 ]
