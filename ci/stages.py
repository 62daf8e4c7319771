#!/usr/bin/env python3
"""Where one kind of request spent its time, from the nodes' /metrics scraped before and after a
`faultline bench` run: the mean of each stage over the requests of the run (its warm-up included).

usage: stages.py OP LABEL BEFORE_1 .. BEFORE_N AFTER_1 .. AFTER_N   (one scrape of each node, in node order)

The node that served the requests (the leader: `faultline bench` finds it first) is the one whose
request count grew most; the others are its followers. Stages, in a request's order (see
docs/OBSERVABILITY.md, "A request's path, stage by stage"): in, then write/sync/commit/apply for a
write (commit spans replication to a majority) or nothing more for a read, then the hand-off back
from the Raft loop, then out; whole = arrival to answer. Followers: their log append and fsync.
"""
import re
import sys

LINE = re.compile(r'^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+|NaN)$')


def read(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line.strip())
            if m and m.group(3) != "NaN":
                out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def delta(before, after, name):
    return after.get(name, 0.0) - before.get(name, 0.0)


def mean_us(before, after, base, labels=""):
    n = delta(before, after, f"{base}_count{labels}")
    s = delta(before, after, f"{base}_sum{labels}")
    return (s / n * 1e6, int(n)) if n > 0 else (None, 0)


def fmt(v):
    return "-" if v[0] is None else f"{v[0]:.0f}"


def main():
    op, label, files = sys.argv[1].lower(), sys.argv[2], sys.argv[3:]
    if len(files) < 2 or len(files) % 2:
        sys.exit("stages.py: give a label, then each node's metrics before, then each node's after")
    half = len(files) // 2
    nodes = [(read(files[i]), read(files[half + i])) for i in range(half)]

    def served(pair):
        return sum(
            delta(pair[0], pair[1], k)
            for k in pair[1]
            if k.startswith("kv_request_stage_seconds_count") and f'op="{op}"' in k
        )

    lead = max(range(len(nodes)), key=lambda i: served(nodes[i]))
    b, a = nodes[lead]
    parts = []
    for proto in ("http", "grpc"):
        v = mean_us(b, a, "kv_request_stage_seconds", f'{{op="{op}",protocol="{proto}",stage="in"}}')
        if v[1]:
            parts.append(f"in {fmt(v)}")
            break
    # A GET run's writes are the bench's prefill, not the requests measured.
    for stage in ("write", "sync", "commit", "apply") if op != "get" else ():
        v = mean_us(b, a, "raft_proposal_stage_seconds", f'{{stage="{stage}"}}')
        if v[1]:
            parts.append(f"{stage} {fmt(v)}")
    before_sync = delta(b, a, "raft_proposals_committed_before_own_sync_total")
    commits = mean_us(b, a, "raft_proposal_stage_seconds", '{stage="commit"}')[1]
    for to in ("caller", "reply-pool"):
        v = mean_us(b, a, "raft_answer_handoff_seconds", f'{{kind="{"read" if op == "get" else "write"}",to="{to}"}}')
        if v[1]:
            parts.append(f"hand-off to {to} {fmt(v)}")
    for proto in ("http", "grpc"):
        v = mean_us(b, a, "kv_request_stage_seconds", f'{{op="{op}",protocol="{proto}",stage="out"}}')
        if v[1]:
            parts.append(f"out {fmt(v)}")
    whole = mean_us(b, a, "kv_operations_latency_seconds", f'{{op="{op}"}}')
    fsync = mean_us(b, a, "raft_fsync_seconds")
    if op == "get" and whole[1]:
        # No timer spans a read's ReadIndex round; it is what the edge's stages leave of the whole.
        rest = whole[0] - sum(
            float(p.rsplit(" ", 1)[1]) for p in parts if p.rsplit(" ", 1)[1] != "-"
        )
        parts.insert(1, f"ReadIndex round and read (the rest) {rest:.0f}")
    print(f"  stages of {label} on the leader (node {lead + 1}), mean us over {whole[1]} {op}s:")
    print("    " + ", ".join(parts) + f"; whole {fmt(whole)} (arrival to answer)")
    if commits and op != "get":
        print(f"    committed before the leader's own sync: {int(before_sync)} of {commits};"
              f" leader fsync mean {fmt(fsync)}")
    for i, (fb, fa) in enumerate(nodes):
        if i != lead and op != "get":
            print(f"    follower node {i + 1}: append {fmt(mean_us(fb, fa, 'raft_append_seconds'))},"
                  f" fsync {fmt(mean_us(fb, fa, 'raft_fsync_seconds'))}")


if __name__ == "__main__":
    main()
