#!/usr/bin/env python3
"""Test peer: a tiny authoritative DNS server (RFC 1035 over UDP) for Autodiscover's SRV step,
and for providers' host names pointed at loopback (the provider-rule tests).

Answers SRV queries for the names in --srv (name=target:port,...) with one record each
(RFC 2782: priority 0, weight 0), A queries for the names in --a (name=ipv4,...) with that
address (and AAAA queries for them with no data); every other question gets NXDOMAIN, so the plugin's
earlier Autodiscover candidates (https://<domain>/..., https://autodiscover.<domain>/...) are
skipped as they are for a domain without those hosts.

Usage: dns-server.py --port P --srv _autodiscover._tcp.contoso.test=localhost:24141,...
                     [--a imap.gmail.com=127.0.0.1,...] --ready F
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


def answer(packet, records, addresses):
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
    if qtype == 1 and qclass == 1 and name in addresses:
        rdata = socket.inet_aton(addresses[name])
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, len(rdata)) + rdata
        header = struct.pack("!HHHHHH", ident, 0x8400 | recursion_desired, 1, 1, 0, 0)
        return header + question + rr
    if name in addresses:  # the name exists, with no record of this type (NODATA)
        return struct.pack("!HHHHHH", ident, 0x8400 | recursion_desired, 1, 0, 0, 0) + question
    header = struct.pack("!HHHHHH", ident, 0x8403 | recursion_desired, 1, 0, 0, 0)  # NXDOMAIN
    return header + question


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--srv", required=True)
    parser.add_argument("--a", default="")
    parser.add_argument("--ready", required=True)
    args = parser.parse_args()
    records = {}
    for item in args.srv.split(","):
        name, _, target = item.partition("=")
        host, _, port = target.rpartition(":")
        records[name.lower()] = (host, int(port))
    addresses = {}
    for item in filter(None, args.a.split(",")):
        name, _, address = item.partition("=")
        addresses[name.lower()] = address
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", args.port))
    with open(args.ready, "w") as ready:
        ready.write("%d\n" % args.port)
    while True:
        packet, client = server.recvfrom(4096)
        try:
            reply = answer(packet, records, addresses)
        except (IndexError, struct.error):
            reply = None
        if reply:
            server.sendto(reply, client)


if __name__ == "__main__":
    main()
