"""Serving a test peer on the loopback addresses: 127.0.0.1, and ::1 as well where the machine has
IPv6 loopback. A Debian machine's /etc/hosts names both for "localhost", and a client that takes
the first address only (microsocks resolving for socks5h) may pick ::1.

    server = loopback.serve(port, Handler, ssl_context)  # the ::1 listener runs in a thread
    server.serve_forever()                               # the 127.0.0.1 one in the caller's
"""
import socket
import threading
from http.server import ThreadingHTTPServer


class _ThreadingHTTPServerV6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _wrapped(server, context):
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    return server


def serve(port, handler, context=None):
    """The 127.0.0.1 server, not yet serving; a ::1 twin already serves when IPv6 loopback works."""
    server = _wrapped(ThreadingHTTPServer(("127.0.0.1", port), handler), context)
    try:
        twin = _wrapped(_ThreadingHTTPServerV6(("::1", port), handler), context)
    except OSError:  # no IPv6 loopback here: 127.0.0.1 alone
        return server
    threading.Thread(target=twin.serve_forever, daemon=True).start()
    return server
