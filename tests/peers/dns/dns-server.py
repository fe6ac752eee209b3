#!/usr/bin/env python3
"""Test peer: a tiny authoritative DNS server (RFC 1035 over UDP) for Autodiscover's SRV step.

Answers SRV queries for the names in --srv (name=target:port,...) with one record each
(RFC 2782: priority 0, weight 0); every other question gets NXDOMAIN, so the plugin's
earlier Autodiscover candidates (https://<domain>/..., https://autodiscover.<domain>/...) are
skipped as they are for a domain without those hosts.

Usage: dns-server.py --port P --srv _autodiscover._tcp.contoso.test=localhost:24141,... --ready F
"""
import argparse
import socket
import struct


def read_name(packet, offset):
    labels = []
    while True:
        length = packet[offset]
        offset += 1
        if length == 0:
            return ".".join(labels).lower(), offset
        labels.append(packet[offset:offset + length].decode("ascii", "replace"))
        offset += length


def encode_name(name):
    return b"".join(bytes([len(label)]) + label.encode("ascii") for label in name.split(".")) + b"\0"


def answer(packet, records):
    ident, flags, qdcount = struct.unpack("!HHH", packet[:6])
    if qdcount != 1:
        return None
    name, offset = read_name(packet, 12)
    qtype, qclass = struct.unpack("!HH", packet[offset:offset + 4])
    question = packet[12:offset + 4]
    recursion_desired = flags & 0x0100
    if qtype == 33 and qclass == 1 and name in records:
        target, port = records[name]
        rdata = struct.pack("!HHH", 0, 0, port) + encode_name(target)
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 33, 1, 60, len(rdata)) + rdata
        header = struct.pack("!HHHHHH", ident, 0x8400 | recursion_desired, 1, 1, 0, 0)
        return header + question + rr
    header = struct.pack("!HHHHHH", ident, 0x8403 | recursion_desired, 1, 0, 0, 0)  # NXDOMAIN
    return header + question


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--srv", required=True)
    parser.add_argument("--ready", required=True)
    args = parser.parse_args()
    records = {}
    for item in args.srv.split(","):
        name, _, target = item.partition("=")
        host, _, port = target.rpartition(":")
        records[name.lower()] = (host, int(port))
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", args.port))
    with open(args.ready, "w") as ready:
        ready.write("%d\n" % args.port)
    while True:
        packet, client = server.recvfrom(4096)
        try:
            reply = answer(packet, records)
        except (IndexError, struct.error):
            reply = None
        if reply:
            server.sendto(reply, client)


if __name__ == "__main__":
    main()
