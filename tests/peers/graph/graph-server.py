#!/usr/bin/env python3
"""Test peer: the Microsoft Graph mail API, by Microsoft's published documents.

No Microsoft Graph can run here, so this one follows learn.microsoft.com/graph to the letter for
what the Email plugin uses, and refuses anything else:
  - GET /v1.0/me/mailFolders/{id|well-known name} and /v1.0/users/{id|userPrincipalName}/... :
    the mailFolder resource (id, displayName, parentFolderId, childFolderCount, totalItemCount,
    unreadItemCount); well-known names inbox, sentitems, drafts, deleteditems, junkemail, archive,
    and msgfolderroot ("Top of Information Store", the parent of the top-level folders).
  - GET .../mailFolders and .../mailFolders/{id}/childFolders: collections with $top and
    @odata.nextLink paging ($skip in the link, as Graph does for these).
  - POST /v1.0/$batch: JSON batching (learn.microsoft.com/graph/json-batching), up to 20 requests
    run at the same time, answered by id (in reverse order here, so clients must match by id).
  - Authorization: Bearer (RFC 6750), checked by RFC 7662 introspection at the identity peer:
    audience https://graph.microsoft.com; a delegated token needs scp Mail.ReadWrite (or
    Mail.Read) for /me and the signed-in user, plus Mail.ReadWrite.Shared (or Mail.Read.Shared)
    for another user's mailbox; an app-only token needs roles Mail.ReadWrite (or Mail.Read).
  - Errors as Graph sends them: {"error": {"code", "message", "innerError": {...}}} with 401
    InvalidAuthenticationToken (and WWW-Authenticate), 403 ErrorAccessDenied, 404
    ErrorInvalidUser / ResourceNotFound, 404 MailboxNotEnabledForRESTAPI, 429 TooManyRequests
    ApplicationThrottled with Retry-After; `Prefer: IdType="ImmutableId"` is honoured and echoed
    in Preference-Applied.

Sending (sendMail, drafts from MIME, attachments, upload sessions, send, DELETE) is in
graph_sending.py, and the delta query on a folder's messages (GET .../messages/delta, its links,
@removed, 410 SyncStateNotFound; GET /test/forget-sync-states, not Graph) in graph_delta.py, by the
same documents.

Test data: --mailboxes JSON {"mailboxes": {address: {"folders": [[name, parent], ...],
"behaviour": ...}}}. Behaviours: "not_in_exchange_online" (MailboxNotEnabledForRESTAPI),
"throttled_once" (429 with Retry-After 1 on every other request), "throttled_always" (Retry-After 30),
"access_denied" (403, as when RBAC for Applications leaves the mailbox out), "slow" (every request
takes 300 ms), "unavailable_once" (503 Service Unavailable on every other request, its Retry-After an
HTTP-date one second ahead, as RFC 9110 10.2.3 allows), "token_revoked_once" (of the access tokens
new to this mailbox, every other one is refused with 401 InvalidAuthenticationToken, as when a token
was revoked, and stays refused; so each client that signs in anew meets one revoked token and is served
with the fresh one it gets next, however many clients came before). Hostile behaviours, for the client's robustness, not Graph's: "deep_error" (every request:
400 with an error object nested 300,000 deep), "not_a_folder" (the inbox answered 200 `[[[[]]]]`),
"deep_folder" (the inbox answered 200 with arrays nested 300,000 deep), "deep_lists" (the inbox is
real; folder lists are a value nested 300,000 deep), "deep_messages" (folders are real; a message
list holds an object nested 300,000 deep). POST /deep-token/oauth2/v2.0/token
(not Graph: an authority for the tests) answers 200 with a token response nested 300,000 deep;
POST /busy-token/<tenant>/oauth2/v2.0/token answers every other request 429 (Retry-After: 1)
and passes the others on to the identity peer. Every mailbox enforces Outlook's limit of 4 concurrent requests per app (a 5th is
429 ApplicationThrottled); GET /test/stats (no token; not Graph) reports the most requests seen in
flight per mailbox and how many were refused for concurrency.

Usage: graph-server.py --port P --cert C --key K --ca CA --authority URL --mailboxes JSON --ready F
"""
import argparse
import base64
import datetime
import json
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import os
import re
import sys
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ews"))
import ews_items  # noqa: E402  (the same seeded mail, parsed the same way, as the EWS peer's)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graph_sending  # noqa: E402  (sendMail, drafts, attachments and upload sessions)
import graph_delta  # noqa: E402  (the delta query on a folder's messages)
from graph_sending import GraphError  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import loopback  # noqa: E402  (tests/peers/loopback.py)

AUDIENCE = "https://graph.microsoft.com"
WELL_KNOWN = {"inbox": "Inbox", "sentitems": "Sent Items", "drafts": "Drafts", "deleteditems": "Deleted Items",
              "junkemail": "Junk Email", "archive": "Archive"}

args = None
data = None
throttle_state = {}
lock = threading.Lock()
MAILBOX_CONCURRENCY = 4
in_flight = {}  # (principal kind, app id, mailbox) -> requests being served
stats = {"max_in_flight": {}, "concurrency_refusals": 0}  # GET /test/stats (not part of Graph)


class Created(dict):
    """201 Created with the new resource."""


class NoContent(dict):
    """204 No Content."""


class RawMime(bytes):
    """A message's MIME, answered as text/plain (GET /messages/{id}/$value)."""


class RawAnswer(Exception):
    """Bytes answered as they are, with a status (the hostile behaviours)."""

    def __init__(self, status, payload, headers=()):
        super().__init__("raw answer")
        self.status, self.payload, self.headers = status, payload, list(headers)


DEPTH = 300000


def deep_array():
    return b"[" * DEPTH + b"]" * DEPTH


def deep_error():
    return b'{"error":' + b'{"innerError":' * DEPTH + b"{}" + b"}" * DEPTH + b"}"


revoked_once = {}  # mailbox -> {"tokens": {token: refused}, "last": refused} (token_revoked_once)


busy_tokens = [0]


def busy_token(path, body):
    """Every other request: 429 with Retry-After 1; the others go on to the real authority."""
    with lock:
        busy_tokens[0] += 1
        turn = busy_tokens[0]
    if turn % 2 == 1:
        return RawAnswer(429, b'{"error":"temporarily_unavailable"}', [("Retry-After", "1")])
    context = ssl.create_default_context(cafile=args.ca)
    request = urllib.request.Request(args.authority + path, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return RawAnswer(response.status, response.read())
    except urllib.error.HTTPError as refused:
        return RawAnswer(refused.code, refused.read())


def introspect(token):
    body = urllib.parse.urlencode({"token": token}).encode()
    context = ssl.create_default_context(cafile=args.ca)
    request = urllib.request.Request(args.authority + "/introspect", data=body, method="POST")
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.load(response)


def principal(headers):
    authorization = headers.get("Authorization", "")
    if not authorization.startswith("Bearer "):
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.",
                         [("WWW-Authenticate", 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"')])
    claims = introspect(authorization[7:])
    if not claims.get("active"):
        raise GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
    if claims.get("aud") != AUDIENCE:
        raise GraphError(401, "InvalidAuthenticationToken", "Invalid audience.")
    if claims.get("idtyp") == "app":  # an app-only token: only the roles its admin granted
        return ("app", None, set(claims.get("roles") or []))
    return ("user", (claims.get("username") or "").lower(), set((claims.get("scp") or "").split()))


def folder_id(mailbox, name):
    # Immutable ids are opaque base64 strings in Graph; this one encodes mailbox and folder.
    return base64.urlsafe_b64encode(("%s|%s" % (mailbox, name)).encode()).decode().rstrip("=")


def folder_json(mailbox, folder, folders):
    name, parent = folder[0], folder[1]
    return {"id": folder_id(mailbox, name),
            "displayName": name,
            "parentFolderId": folder_id(mailbox, parent or "msgfolderroot"),
            "childFolderCount": sum(1 for f in folders if f[1] == name),
            "unreadItemCount": 0, "totalItemCount": 0, "isHidden": False}


def authorize(who, mailbox):
    kind, user, grants = who
    if kind == "app":
        if not grants & {"Mail.ReadWrite", "Mail.Read"}:
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        return
    if mailbox == user:
        if not grants & {"Mail.ReadWrite", "Mail.Read", "Mail.ReadWrite.Shared", "Mail.Read.Shared"}:
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        return
    if not grants & {"Mail.ReadWrite.Shared", "Mail.Read.Shared"}:
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")


def batch(headers, body):
    """POST /v1.0/$batch (learn.microsoft.com/graph/json-batching): up to 20 requests, each with a
    unique id, a method and a URL relative to the version; the batch's Authorization goes with every
    one. Graph runs them at the same time (each meets the mailbox's concurrency limit) and may answer
    in any order: this peer answers in reverse order, so clients must match answers by id. Each answer
    holds id, status, headers and body (JSON as JSON, so a hostile JSON answer goes into the batch's
    text as it is; anything else as base64). dependsOn is not used by the plugin: refused."""
    principal(headers)  # a bad token is the batch's 401
    try:
        requests = json.loads(body)["requests"]
    except (ValueError, KeyError, TypeError):
        raise GraphError(400, "BadRequest", "Invalid batch payload format.")
    if not isinstance(requests, list) or not requests or len(requests) > 20:
        raise GraphError(400, "BadRequest", "Number of requests in a batch must be between 1 and 20.")
    ids = [str(r.get("id", "")).lower() if isinstance(r, dict) else "" for r in requests]
    if "" in ids or len(set(ids)) != len(ids):
        raise GraphError(400, "BadRequest", "Batch request ids must be present and unique.")
    for request in requests:
        if not isinstance(request.get("method"), str) or not isinstance(request.get("url"), str) \
                or "dependsOn" in request:
            raise GraphError(400, "BadRequest", "Invalid batch payload format.")
    answers = [None] * len(requests)
    raw_bodies = {}

    def run(index, request):
        url = urllib.parse.urlsplit("/v1.0" + ("" if request["url"].startswith("/") else "/") + request["url"])
        merged = {"Authorization": headers.get("Authorization", "")}
        merged.update(request.get("headers") or {})
        try:
            result = handle(url.path, urllib.parse.parse_qs(url.query), merged, request["method"].upper(),
                            json.dumps(request["body"]).encode() if "body" in request else b"")
            status = 201 if isinstance(result, Created) else 204 if isinstance(result, NoContent) else 200
            answer = {"status": status, "headers": {"Content-Type": "application/json"}, "body": result}
            if isinstance(result, RawMime):
                answer["headers"]["Content-Type"] = "text/plain"
                answer["body"] = base64.b64encode(bytes(result)).decode()
        except GraphError as error:
            answer = {"status": error.status, "headers": dict(error.headers),
                      "body": {"error": {"code": error.code, "message": error.message}}}
        except RawAnswer as raw:  # JSON, so in the batch as it is (spliced in below)
            answer = {"status": raw.status, "headers": dict(raw.headers), "body": "\u0000raw%d" % index}
            raw_bodies[index] = raw.payload
        answer["id"] = request["id"]
        answers[index] = answer

    workers = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with lock:
        stats["batches"] = stats.get("batches", 0) + 1
    result = {"responses": list(reversed(answers))}
    if not raw_bodies:
        return result
    text = json.dumps(result).encode()
    for index, payload in raw_bodies.items():
        text = text.replace(json.dumps("\u0000raw%d" % index).encode(), payload)
    raise RawAnswer(200, text)


def handle(path, query, headers, method="GET", body=b""):
    who = principal(headers)
    parts = [urllib.parse.unquote(p) for p in path.split("/") if p]
    if len(parts) < 2 or parts[0] != "v1.0":
        raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % (parts[0] if parts else ""))
    if parts[1] == "me":
        if who[0] == "app":
            raise GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.")
        address, rest = who[1], parts[2:]
    elif parts[1] == "users" and len(parts) > 2:
        address, rest = parts[2].lower(), parts[3:]
    else:
        raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % parts[1])
    mailbox = data["mailboxes"].get(address)
    if mailbox is None:
        raise GraphError(404, "ErrorInvalidUser", "The requested user '%s' is invalid." % address)
    authorize(who, address)
    behaviour = mailbox.get("behaviour")
    if behaviour == "access_denied":  # an Exchange admin scoped the app away from this mailbox
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
    if behaviour == "deep_error":
        raise RawAnswer(400, deep_error())
    if behaviour == "not_a_folder" and rest == ["mailFolders", "inbox"]:
        raise RawAnswer(200, b"[[[[]]]]")
    if behaviour == "deep_folder" and rest == ["mailFolders", "inbox"]:
        raise RawAnswer(200, deep_array())
    if behaviour == "deep_lists" and rest and rest[0] == "mailFolders" and rest[-1] in ("mailFolders", "childFolders"):
        raise RawAnswer(200, b'{"value":' + deep_array() + b"}")
    if behaviour == "deep_messages" and method == "GET" and len(rest) == 3 and rest[0] == "mailFolders" \
            and rest[2] == "messages":
        raise RawAnswer(200, b'{"value":[' + deep_error() + b"]}")
    if behaviour == "token_revoked_once":
        token = headers.get("Authorization", "")
        with lock:
            state = revoked_once.setdefault(address, {"tokens": {}, "last": False})
            if token not in state["tokens"]:
                state["last"] = state["tokens"][token] = not state["last"]
            refused = state["tokens"][token]
        if refused:
            raise GraphError(401, "InvalidAuthenticationToken", "Access token has been revoked.",
                             [("WWW-Authenticate", 'Bearer error="invalid_token"')])
    if behaviour == "unavailable_once":
        with lock:
            unavailable = not throttle_state.get(address)
            throttle_state[address] = not throttle_state.get(address)
        if unavailable:
            when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
            raise GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable.",
                             [("Retry-After", when.strftime("%a, %d %b %Y %H:%M:%S GMT"))])
    if behaviour == "not_in_exchange_online":
        raise GraphError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
    with lock:
        throttled = behaviour == "throttled_always" or (behaviour == "throttled_once" and not throttle_state.get(address))
        if behaviour == "throttled_once":
            throttle_state[address] = not throttle_state.get(address)
    if throttled:
        raise GraphError(429, "TooManyRequests", "Application is over its MailboxConcurrency limit.",
                         [("Retry-After", "30" if behaviour == "throttled_always" else "1")])
    # Outlook's service limit: at most 4 concurrent requests per app per mailbox; a 5th is 429.
    key = (who[0], who[1] or "", address)
    with lock:
        in_flight[key] = in_flight.get(key, 0) + 1
        if in_flight[key] > MAILBOX_CONCURRENCY:
            in_flight[key] -= 1
            stats["concurrency_refusals"] += 1
            raise GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.",
                             [("Retry-After", "1")])
        stats["max_in_flight"][address] = max(stats["max_in_flight"].get(address, 0), in_flight[key])
    try:
        if behaviour == "slow":  # each request takes a while, so concurrent ones overlap
            time.sleep(0.3)
        return handle_in_mailbox(who, address, mailbox, rest, path, query, headers, method, body)
    finally:
        with lock:
            in_flight[key] -= 1


def handle_in_mailbox(who, address, mailbox, rest, path, query, headers, method, body):
    folders = mailbox["folders"]
    if method == "POST" and rest == ["sendMail"]:
        return graph_sending.send_mail(who, address, data["mailboxes"], headers, body)
    if method == "POST" and rest == ["messages"]:
        return Created(message_json(graph_sending.create_draft(address, headers, body), "", address))
    if len(rest) == 3 and rest[0] == "messages" and rest[2] == "$value":
        return RawMime(message_value(address, rest[1]))
    if rest and rest[0] == "messages":
        return message_operation(who, address, folders, rest[1:], method, body, query.get("$expand", [""])[0])
    if method == "POST" and len(rest) == 3 and rest[0] == "mailFolders" and rest[2] == "messages":
        folder = next((f for f in folders if WELL_KNOWN.get(rest[1].lower()) == f[0] or folder_id(address, f[0]) == rest[1]), None)
        if folder is None:
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        if "text/plain" not in headers.get("Content-Type", ""):
            raise GraphError(400, "BadRequest", "A MIME message must be sent as base64 in a text/plain body.")
        item = ews_items.Item(address, folder[0], base64.b64decode(body))
        item.is_draft = True  # "Create a draft of a new message in either JSON or MIME format"
        ews_items.items[item.id] = item
        return Created(message_json(item, "", address))
    if method == "GET" and len(rest) == 4 and rest[0] == "mailFolders" and rest[2:] == ["messages", "delta"]:
        folder = next((f for f in folders if WELL_KNOWN.get(rest[1].lower()) == f[0] or folder_id(address, f[0]) == rest[1]), None)
        if folder is None:
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return graph_delta.delta(ews_items.items, (address, folder[0]), query, headers,
                                 "https://localhost:%d%s" % (args.port, path),
                                 lambda item: message_json(item, "", address))
    if method != "GET":
        raise GraphError(405, "ErrorInvalidRequest", "The OData request is not supported.")
    if not rest or rest[0] != "mailFolders":
        raise GraphError(400, "BadRequest", "This test server serves mailFolders only.")
    # Server-driven paging: Graph may return fewer items than $top and a nextLink (this one at most 10).
    top = min(10, int(query.get("$top", ["10"])[0]))
    skip = int(query.get("$skip", ["0"])[0])

    def collection(items, base):
        page = items[skip:skip + top]
        body = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#mailFolders", "value": page}
        if skip + top < len(items):
            body["@odata.nextLink"] = "https://localhost:%d%s?%s" % (
                args.port, base, urllib.parse.urlencode({"$top": top, "$skip": skip + top}))
        return body

    if len(rest) == 1:
        top_level = [folder_json(address, f, folders) for f in folders if f[1] is None]
        return collection(top_level, path)
    wanted = rest[1]
    if len(rest) == 2 and wanted.lower() == "msgfolderroot":  # "Top of Information Store", above the top level
        return {"id": folder_id(address, "msgfolderroot"), "displayName": "Top of Information Store",
                "parentFolderId": folder_id(address, "root"),
                "childFolderCount": sum(1 for f in folders if f[1] is None),
                "unreadItemCount": 0, "totalItemCount": 0, "isHidden": False}
    folder = next((f for f in folders if WELL_KNOWN.get(wanted.lower()) == f[0] or folder_id(address, f[0]) == wanted), None)
    if folder is None:
        raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
    if len(rest) == 2:
        return folder_json(address, folder, folders)
    if len(rest) == 3 and rest[2] == "childFolders":
        children = [folder_json(address, f, folders) for f in folders if f[1] == folder[0]]
        return collection(children, path)
    if len(rest) == 3 and rest[2] == "messages":
        return messages_page(address, folder[0], query, path)
    raise GraphError(400, "BadRequest", "This test server serves mailFolders only.")


def message_json(item, expand, address=None):
    """The message resource (learn.microsoft.com/graph/api/resources/message) for what is asked."""
    def recipient(pair):
        return {"emailAddress": {"name": pair[0] or pair[1], "address": pair[1]}}
    body = {"id": item.id, "subject": item.subject,
            "sentDateTime": item.sent.strftime("%Y-%m-%dT%H:%M:%SZ") if item.sent else None,
            "receivedDateTime": item.received_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "isRead": item.is_read, "isDraft": getattr(item, "is_draft", False), "flag": {"flagStatus": "flagged" if item.flagged else "notFlagged"},
            "internetMessageId": item.message_id or None, "hasAttachments": bool(item.attachments),
            "from": recipient(item.sender[0]) if item.sender else None,
            "toRecipients": [recipient(a) for a in item.to], "ccRecipients": [recipient(a) for a in item.cc]}
    if "attachments" in expand:
        body["attachments"] = [{"@odata.type": "#microsoft.graph.%s" % ("itemAttachment" if kind == "ItemAttachment"
                                                                       else "fileAttachment"),
                                "name": name, "contentType": content_type, "size": size, "isInline": inline}
                               for kind, name, content_type, size, inline in item.attachments]
    if address:
        body["parentFolderId"] = folder_id(address, item.folder)
    if "0x0E08" in expand:  # PidTagMessageSize
        body["singleValueExtendedProperties"] = [{"id": "Integer 0xe08", "value": str(len(item.mime))}]
    if "0x1081" in expand and getattr(item, "last_verb", 0):  # PidTagLastVerbExecuted, when it has one
        body.setdefault("singleValueExtendedProperties", []).append(
            {"id": "Integer 0x1081", "value": str(item.last_verb)})
    return body


FILTER_TERM = re.compile(r"^(?:(isRead|hasAttachments) eq (true|false)|flag/flagStatus eq '(flagged|notFlagged)'|"
                         r"(sentDateTime|receivedDateTime) (ge|lt) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)|"
                         r"contains\(subject,'((?:[^']|'')*)'\))$")


def matches(item, expression):
    for term in [t for t in expression.split(" and ")] if expression else []:
        match = FILTER_TERM.match(term.strip())
        if not match:
            raise GraphError(400, "BadRequest", "Invalid filter clause: %s" % term)
        field, boolean, flag, date_field, operator, when, subject = match.groups()
        if field == "isRead" and item.is_read != (boolean == "true"):
            return False
        if field == "hasAttachments" and bool(item.attachments) != (boolean == "true"):
            return False
        if flag and item.flagged != (flag == "flagged"):
            return False
        if operator:
            moment = datetime.datetime.fromisoformat(when.replace("Z", "+00:00"))
            value = item.sent if date_field == "sentDateTime" else item.received_at
            if value is None or (value < moment if operator == "ge" else value >= moment):
                return False
        if subject is not None and subject.replace("''", "'").lower() not in item.subject.lower():
            return False
    return True


def check_filter_and_order(expression, order):
    """learn.microsoft.com/graph/api/user-list-messages: with $filter and $orderby together, every
    $orderby property appears in $filter, in the same order, before any other property; else 400
    InefficientFilter."""
    if not expression or not order:
        return
    ordered = [clause.split()[0] for clause in order.split(",")]
    terms = [t.strip() for t in expression.split(" and ")]
    leading = [re.split(r"[ (,]", t.replace("contains(", ""), 1)[0] for t in terms]
    if leading[:len(ordered)] != ordered:
        raise GraphError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.")


def messages_page(address, folder, query, path):
    expression = query.get("$filter", [""])[0]
    check_filter_and_order(expression, query.get("$orderby", [""])[0])
    found = [i for i in ews_items.items.values() if i.mailbox == address and i.folder == folder and matches(i, expression)]
    order = query.get("$orderby", ["receivedDateTime desc"])[0]
    found.sort(key=lambda i: i.received, reverse=order.endswith("desc"))
    top = min(1000, int(query.get("$top", ["10"])[0]))
    skip = int(query.get("$skip", ["0"])[0])
    expand = query.get("$expand", [""])[0]
    page = found[skip:skip + top]
    body = {"value": [message_json(i, expand, address) for i in page]}
    if query.get("$count", ["false"])[0] == "true":
        body["@odata.count"] = len(found)
    if skip + top < len(found):
        following = dict((k, v[0]) for k, v in query.items())
        following["$skip"] = str(skip + top)
        body["@odata.nextLink"] = "https://localhost:%d%s?%s" % (args.port, path, urllib.parse.urlencode(following))
    return body


def message_operation(who, address, folders, rest, method, body, expand=""):
    """PATCH /messages/{id}; POST .../move, .../copy, .../permanentDelete; GET /messages/{id};
    sending (graph_sending.py): POST .../attachments, .../attachments/createUploadSession, .../send;
    DELETE /messages/{id}."""
    item = ews_items.items.get(rest[0]) if rest else None
    if item is None or item.mailbox != address:
        raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
    if method == "GET" and len(rest) == 1:  # $expand as a list's (attachments, extended properties)
        return message_json(item, expand, address)
    if method == "DELETE" and len(rest) == 1:
        with lock:
            ews_items.items.pop(item.id, None)
        return NoContent()
    if method == "POST" and rest[1:] == ["attachments"]:
        return Created(graph_sending.add_file_attachment(item, body))
    if method == "POST" and rest[1:] == ["attachments", "createUploadSession"]:
        return Created(graph_sending.create_upload_session(item, body, args.port))
    if method == "POST" and rest[1:] == ["send"]:
        return graph_sending.send_draft(who, address, data["mailboxes"], item)
    if method == "PATCH" and len(rest) == 1:
        changes = json.loads(body or b"{}")
        if "isRead" in changes:
            item.is_read = bool(changes["isRead"])
        if "flag" in changes:
            item.flagged = changes["flag"].get("flagStatus") == "flagged"
        for extended in changes.get("singleValueExtendedProperties", []):
            if not isinstance(extended, dict) or not str(extended.get("value", "")).isdigit():
                raise GraphError(400, "ErrorInvalidExtendedPropertyValue", "The extended property value is invalid.")
            tag = str(extended.get("id", "")).lower()
            if tag == "integer 0x1081":  # PidTagLastVerbExecuted
                item.last_verb = int(extended["value"])
            elif tag == "integer 0x1080":  # PidTagIconIndex
                item.icon_index = int(extended["value"])
            else:
                raise GraphError(400, "ErrorInvalidProperty", "This test server sets 0x1081 and 0x1080 only.")
        return message_json(item, "", address)
    if method == "POST" and len(rest) == 2 and rest[1] in ("move", "copy"):
        destination = json.loads(body or b"{}").get("destinationId", "")
        folder = next((f for f in folders if WELL_KNOWN.get(destination.lower()) == f[0] or
                       folder_id(address, f[0]) == destination), None)
        if folder is None:
            raise GraphError(404, "ErrorItemNotFound", "The specified folder was not found in the store.")
        with lock:
            moved = ews_items.Item(address, folder[0], item.mime, item.is_read, item.flagged)
            ews_items.items[moved.id] = moved
            if rest[1] == "move":
                del ews_items.items[item.id]
        return Created(message_json(moved, "", address))
    if method == "POST" and len(rest) == 2 and rest[1] == "permanentDelete":
        with lock:
            ews_items.items.pop(item.id, None)
        return NoContent()
    raise GraphError(400, "BadRequest", "This test server does not serve that message request.")


def message_value(address, item_id):
    item = ews_items.items.get(item_id)
    if item is None or item.mailbox != address:
        raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
    return item.mime


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *log_args):  # never the Authorization header
        pass

    def send_json(self, status, body, extra=()):
        if isinstance(body, Created):
            status = 201
        if isinstance(body, (NoContent, graph_sending.Accepted)):
            self.send_response(204 if isinstance(body, NoContent) else 202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        raw = isinstance(body, RawMime)
        payload = bytes(body) if raw else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if raw else "application/json; odata.metadata=minimal")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("request-id", str(uuid.uuid4()))
        if 'IdType="ImmutableId"' in self.headers.get("Prefer", ""):
            self.send_header("Preference-Applied", 'IdType="ImmutableId"')
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        self.answer("GET")

    def do_POST(self):
        self.answer("POST")

    def do_PATCH(self):
        self.answer("PATCH")

    def do_DELETE(self):
        self.answer("DELETE")

    def do_PUT(self):
        self.answer("PUT")

    def answer(self, method):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/test/forget-sync-states":  # for the tests: delta's 410
            graph_delta.forget_sync_states()
            return self.send_json(200, {})
        if url.path == "/test/stats":  # for the tests: what the concurrency gate saw
            with lock:
                return self.send_json(200, json.loads(json.dumps(stats)))
        try:
            if method == "POST" and url.path == "/deep-token/oauth2/v2.0/token":
                raise RawAnswer(200, b'{"access_token":' + deep_array() + b"}")
            if method == "POST" and url.path.startswith("/busy-token/"):
                raise busy_token(url.path[len("/busy-token"):], body)
            if method == "POST" and url.path == "/v1.0/$batch":
                return self.send_json(200, batch(self.headers, body))
            if method == "PUT" and url.path.startswith("/upload/"):  # an upload session's uploadUrl
                status, answer, extra = graph_sending.upload(url.path[len("/upload/"):], self.headers, body)
                if answer is None:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    for name, value in extra:
                        self.send_header(name, value)
                    self.end_headers()
                    return
                return self.send_json(status, answer, extra)
            self.send_json(200, handle(url.path, urllib.parse.parse_qs(url.query), self.headers, method, body))
        except RawAnswer as raw:
            self.send_response(raw.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw.payload)))
            for name, value in raw.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw.payload)
        except GraphError as error:
            self.send_json(error.status, {"error": {"code": error.code, "message": error.message,
                                                    "innerError": {"request-id": str(uuid.uuid4()),
                                                                   "date": "2026-11-30T00:00:00"}}},
                           error.headers)


def main():
    global args, data
    parser = argparse.ArgumentParser()
    for option in ("port", "cert", "key", "ca", "authority", "mailboxes", "ready"):
        parser.add_argument("--" + option, required=True)
    parser.add_argument("--seed", help="a folder of .eml files for the Inbox of the mailboxes marked 'seeded'")
    parser.add_argument("--seed-bulk", help="a maildir cur/ folder for their 'Bulk' folder")
    args = parser.parse_args()
    args.port = int(args.port)
    with open(args.mailboxes, encoding="utf-8") as file:
        data = json.load(file)
    for address, mailbox in data["mailboxes"].items():
        if mailbox.get("seeded") and args.seed:
            ews_items.seed(address, "Inbox", args.seed)
            if args.seed_bulk:
                ews_items.seed(address, "Bulk", args.seed_bulk, every_file=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    server = loopback.serve(args.port, Handler, context)  # 127.0.0.1, and ::1 where there is one
    with open(args.ready, "w") as ready:
        ready.write("%d\n" % args.port)
    server.serve_forever()


if __name__ == "__main__":
    main()
