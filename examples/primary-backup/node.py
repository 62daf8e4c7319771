#!/usr/bin/env python3
"""A small primary-backup key-value node that speaks Faultline's HTTP KV protocol.

It has a real, explainable flaw, and `faultline test --db process` catches it: replication is
asynchronous. The primary acknowledges a write as soon as it has applied it and written it to its
own disk, and ships its whole state to the backups twice a second. When the primary becomes
unreachable, the next node takes over with whatever it last received, so writes the old primary
had acknowledged are gone; and when the old primary comes back (or was only cut off, or paused),
it is the primary again with its own state, so the writes of the interim primary are gone too.
See README.md for the exercise.

Standard library only. Start one process per node:

    node.py --id n1 --host 10.77.0.1 --http-port 8080 --peer-port 7070 \
            --peers n1=10.77.0.1:7070,n2=10.77.0.2:7070,n3=10.77.0.3:7070 --data DIR

Every node believes that the primary is the node with the smallest id that it has heard from in the
last FAILOVER_AFTER_S seconds (itself included); the others redirect clients to it (HTTP 307).
"""

import argparse
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLICATION_INTERVAL_S = 0.5  # the primary ships its state to the backups this often
PING_INTERVAL_S = 0.2
FAILOVER_AFTER_S = 1.5  # a node not heard from for this long is taken for dead


class Store:
    """The node's key-value map, rewritten to DATA/state.json (temp file, fsync, rename) on change."""

    def __init__(self, data_dir):
        self.lock = threading.Lock()
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, "state.json")
        self.values = {}
        if os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as f:
                self.values = json.load(f)

    def save(self):
        """Persists the map; the caller holds the lock."""
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.values, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


class Node:
    def __init__(self, args):
        self.id = args.id
        self.http_port = args.http_port
        self.peers = dict(p.split("=", 1) for p in args.peers.split(","))
        self.store = Store(args.data)
        started = time.monotonic()
        self.last_heard = {peer: started for peer in self.peers}

    def primary(self):
        now = time.monotonic()
        alive = [p for p in self.peers if p == self.id or now - self.last_heard[p] < FAILOVER_AFTER_S]
        return min(alive)

    def is_primary(self):
        return self.primary() == self.id

    def http_of(self, node):
        host = self.peers[node].rsplit(":", 1)[0]
        return "%s:%d" % (host, self.http_port)

    def post(self, node, path, value, timeout):
        request = urllib.request.Request(
            "http://%s%s" % (self.peers[node], path),
            data=json.dumps(value).encode(),
            method="POST",
        )
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def ping_forever(self, peer):
        while True:
            time.sleep(PING_INTERVAL_S)
            try:
                self.post(peer, "/ping", {"from": self.id}, timeout=0.3)
                self.last_heard[peer] = time.monotonic()
            except (OSError, ValueError):
                pass

    def replicate_forever(self):
        """While primary, ships the whole map to every other node (asynchronously: the flaw)."""
        while True:
            time.sleep(REPLICATION_INTERVAL_S)
            if not self.is_primary():
                continue
            with self.store.lock:
                snapshot = dict(self.store.values)
            for peer in self.peers:
                if peer != self.id:
                    try:
                        self.post(peer, "/replicate", {"from": self.id, "values": snapshot}, 1)
                    except (OSError, ValueError):
                        pass  # down or cut off: it gets the next snapshot

    def replicated(self, sender, values):
        """A backup takes the state of the node it believes is primary, and nobody else's."""
        self.last_heard[sender] = time.monotonic()
        if sender != self.primary():
            return False
        with self.store.lock:
            self.store.values = values
            self.store.save()
        return True


def handler_for(node):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def send(self, status, body=b"", content_type="application/json", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_json(self, status, value, headers=()):
            self.send(status, json.dumps(value).encode(), headers=headers)

        def error(self, status, message):
            self.send_json(status, {"error": message, "outcome": "failed"})

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def route(self):
            """(key, is_cas) for /v1/kv/{key} and /v1/kv/{key}/cas, else (None, False)."""
            parts = self.path.split("?", 1)[0].split("/")
            if len(parts) in (4, 5) and parts[1] == "v1" and parts[2] == "kv" and parts[3]:
                if len(parts) == 5 and parts[4] != "cas":
                    return None, False
                return urllib.parse.unquote(parts[3]), len(parts) == 5
            return None, False

        def redirected(self):
            """Sends a 307 to the primary unless this node is the primary."""
            primary = node.primary()
            if primary == node.id:
                return False
            location = "http://%s%s" % (node.http_of(primary), self.path)
            self.send_json(
                307, {"error": "not the primary", "outcome": "failed"}, headers=[("Location", location)]
            )
            return True

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/healthz":
                return self.send_json(200, {"status": "ok"})
            if path == "/readyz":
                return self.send_json(200, {"status": "ready"})
            if path == "/v1/cluster":
                return self.send_json(
                    200, {"nodeId": node.id, "leaderId": node.primary(), "term": None, "members": []}
                )
            key, cas = self.route()
            if key is None or cas:
                return self.error(404, "no such route")
            if self.redirected():
                return
            with node.store.lock:
                value = node.store.values.get(key)
            if value is None:
                return self.send_json(404, {"error": "key not found", "outcome": "failed", "found": False})
            self.send(200, value.encode(), content_type="application/octet-stream")

        def do_PUT(self):
            key, cas = self.route()
            value = self.body().decode("utf-8")
            if key is None or cas:
                return self.error(404, "no such route")
            if self.redirected():
                return
            with node.store.lock:
                node.store.values[key] = value
                node.store.save()
            self.send(204)  # acknowledged before any backup has it

        def do_DELETE(self):
            key, cas = self.route()
            self.body()
            if key is None or cas:
                return self.error(404, "no such route")
            if self.redirected():
                return
            with node.store.lock:
                if node.store.values.pop(key, None) is not None:
                    node.store.save()
            self.send(204)

        def do_POST(self):
            path = self.path.split("?", 1)[0]
            raw = self.body()
            if path == "/ping":
                node.last_heard[json.loads(raw)["from"]] = time.monotonic()
                return self.send_json(200, {"id": node.id})
            if path == "/replicate":
                request = json.loads(raw)
                accepted = node.replicated(request["from"], request["values"])
                return self.send_json(200, {"accepted": accepted})
            key, cas = self.route()
            if key is None or not cas:
                return self.error(404, "no such route")
            try:
                request = json.loads(raw)
                expected, value = request["expected"], request["value"]
            except (ValueError, KeyError, TypeError):
                return self.error(400, 'CAS body must be {"expected": ..., "value": ...}')
            if self.redirected():
                return
            with node.store.lock:
                current = node.store.values.get(key)
                if current != expected:
                    return self.send_json(
                        409,
                        {"error": "current value differs", "outcome": "failed", "swapped": False,
                         "current": current},
                    )
                node.store.values[key] = value
                node.store.save()
            self.send_json(200, {"swapped": True})

    return Handler


def serve(host, port, handler):
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--id", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--peer-port", type=int, required=True)
    parser.add_argument("--peers", required=True, help="id=host:peer_port,...")
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    node = Node(args)
    handler = handler_for(node)
    serve(args.host, args.http_port, handler)
    serve(args.host, args.peer_port, handler)
    for peer in node.peers:
        if peer != node.id:
            threading.Thread(target=node.ping_forever, args=(peer,), daemon=True).start()
    threading.Thread(target=node.replicate_forever, daemon=True).start()
    print("node %s serving on %s:%d" % (node.id, args.host, args.http_port), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
