#!/usr/bin/env python3
"""Hostile clients against a hookproof receiver on loopback, for the by-hand
checks of BENCHMARKS.md ("Under attack"). Bounded in count and time; targets
127.0.0.1 only.

  tools/hostile.py stall  --port 8787 --conns 1000 --limit 1048576 [--pid PID]
      Each connection sends Standard-Webhooks-looking headers (fresh
      timestamp, well-formed but wrong signature) declaring a body one byte
      short of --limit, sends all of it but its last byte, then stalls. With --pid, prints the receiver's peak RSS
      (VmHWM) and current RSS while the connections are held.
  tools/hostile.py trickle --port 8787       seconds until a client that sends
      its head one byte per second is disconnected
  tools/hostile.py silent  --port 8787       seconds until a connection that
      sends nothing is disconnected
  tools/hostile.py idle    --port 8787 --conns 1100 --hold 60
      opens N connections that send nothing and holds them (run a good
      delivery meanwhile, e.g. `hookproof sign --curl ... | sh`)
"""

import argparse
import base64
import os
import selectors
import socket
import sys
import time


def rss(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields.get("VmHWM", "?"), fields.get("VmRSS", "?")


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setblocking(False)
    return sock


def head(limit):
    ts = int(time.time())
    sig = base64.b64encode(os.urandom(32)).decode()
    return (
        "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {limit - 1}\r\n"
        f"webhook-id: msg_{os.urandom(6).hex()}\r\n"
        f"webhook-timestamp: {ts}\r\n"
        f"webhook-signature: v1,{sig}\r\n\r\n"
    ).encode()


def stall(args):
    chunk = b"x" * 65536
    conns = []
    for _ in range(args.conns):
        try:
            sock = connect(args.port)
        except OSError as error:
            print(f"connect failed after {len(conns)} connections: {error}")
            break
        conns.append([sock, head(args.limit), args.limit - 2, b""])
    sel = selectors.DefaultSelector()
    for conn in conns:
        sel.register(conn[0], selectors.EVENT_WRITE | selectors.EVENT_READ, conn)
    deadline = time.time() + args.seconds
    answered = {}
    peak = ("?", "?")
    while time.time() < deadline and sel.get_map():
        for key, events in sel.select(timeout=0.5):
            conn = key.data
            sock = conn[0]
            if events & selectors.EVENT_READ:
                try:
                    data = sock.recv(4096)
                except OSError:
                    data = b""
                conn[3] += data
                if not data or b"\r\n\r\n" in conn[3]:
                    status = conn[3][9:12].decode(errors="replace") or "closed"
                    answered[status] = answered.get(status, 0) + 1
                    sel.unregister(sock)
                    continue
            if events & selectors.EVENT_WRITE:
                if conn[1]:
                    try:
                        sent = sock.send(conn[1])
                    except OSError:
                        sel.unregister(sock)
                        continue
                    conn[1] = conn[1][sent:]
                elif conn[2] > 0:
                    try:
                        sent = sock.send(chunk[: min(len(chunk), conn[2])])
                    except OSError:
                        sel.unregister(sock)
                        continue
                    conn[2] -= sent
                else:
                    # All but the last byte sent: stall (keep reading only).
                    sel.modify(sock, selectors.EVENT_READ, conn)
        if args.pid:
            peak = rss(args.pid)
    pending = sum(1 for c in conns if c[2] > 0)
    print(f"connections: {len(conns)}; answered: {answered}; still sending: {pending}")
    if args.pid:
        print(f"receiver VmHWM (peak RSS): {peak[0]}; VmRSS now: {peak[1]}")
    for conn in conns:
        conn[0].close()


def until_closed(sock, drip=None):
    started = time.time()
    sock.setblocking(True)
    sock.settimeout(1.0)
    sent = 0
    while time.time() - started < 120:
        if drip is not None and sent < len(drip):
            try:
                sock.send(drip[sent : sent + 1])
            except OSError:
                return time.time() - started
            sent += 1
        try:
            data = sock.recv(4096)
            if not data:
                return time.time() - started
            # An answer (e.g. 408) then a close also counts as closed at EOF.
        except socket.timeout:
            continue
        except OSError:
            return time.time() - started
    return None


def trickle(args):
    drip = b"POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200
    took = until_closed(connect(args.port), drip)
    print(f"trickling client closed after {took:.1f} s" if took else "still open after 120 s")


def silent(args):
    took = until_closed(connect(args.port))
    print(f"silent client closed after {took:.1f} s" if took else "still open after 120 s")


def idle(args):
    # Non-blocking connects: past the server's accept backlog a blocking
    # connect would wait, and the point is to have them all pending at once.
    conns = []
    for _ in range(args.conns):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", args.port))
        conns.append(sock)
    time.sleep(1)
    print(f"holding {len(conns)} idle connections for {args.hold} s", flush=True)
    time.sleep(args.hold)
    for sock in conns:
        sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["stall", "trickle", "silent", "idle"])
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--conns", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=1024 * 1024)
    parser.add_argument("--seconds", type=float, default=40, help="stall: how long to run")
    parser.add_argument("--hold", type=float, default=60, help="idle: how long to hold")
    parser.add_argument("--pid", type=int, help="stall: receiver pid for RSS")
    args = parser.parse_args()
    {"stall": stall, "trickle": trickle, "silent": silent, "idle": idle}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
