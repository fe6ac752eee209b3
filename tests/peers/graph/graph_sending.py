"""Sending, for the Graph test peer (graph-server.py), by Microsoft's documents:

  - POST .../sendMail with the MIME message base64 in a text/plain body
    (learn.microsoft.com/graph/api/user-sendmail, "send mail in MIME format"): 202 Accepted, no
    body; the message is saved in Sent Items.
  - POST .../messages with MIME: a draft in Drafts (user-post-messages), 201 with the message.
  - POST .../messages/{id}/attachments with a fileAttachment (contentBytes, base64), for files
    under 3 MB (message-post-attachments), 201.
  - POST .../messages/{id}/attachments/createUploadSession {"AttachmentItem": {"attachmentType":
    "file", "name", "size", "contentType"}} for files from 3 MB to 150 MB (smaller ones are
    refused: ErrorAttachmentSizeShouldNotBeLessThanMinimumSize), 201 with uploadUrl,
    expirationDateTime and nextExpectedRanges; then PUTs of byte ranges to the uploadUrl, each at
    most 4 MB, in order, with Content-Range and WITHOUT an Authorization header (the URL is
    pre-authenticated; outlook-large-attachments): 200 with nextExpectedRanges ["{start}"] while
    bytes are missing, 201 with a Location header when the file is whole.
  - POST .../messages/{id}/send: the draft is sent and moves to Sent Items, 202.
  - DELETE .../messages/{id}: 204.
Every request body is at most 4 MB (413 otherwise). Sending needs the permission Mail.Send (its
.Shared form for another user's mailbox; the application permission Mail.Send for app-only); a
From other than the mailbox needs the mailbox's "send_as" list in the test data, else 403
ErrorSendAsDenied. A sent message is delivered to the Inbox of every recipient that is a
mailbox of this peer, without its Bcc field, as Exchange does.
"""
import base64
import binascii
import datetime
import email
import email.policy
import json
import threading
import uuid

import ews_items
import ews_sending

MAX_REQUEST = 4 * 1024 * 1024
MIN_UPLOAD_SESSION = 3 * 1000 * 1000
MAX_ATTACHMENT = 150 * 1000 * 1000
lock = threading.Lock()
uploads = {}  # upload token -> the session


class GraphError(Exception):
    def __init__(self, status, code, message, headers=()):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, list(headers)


class Accepted(dict):
    """202 Accepted, no body."""


def check_permission(who, address):
    kind, user, grants = who
    needed = "Mail.Send" if kind == "app" or address == user else "Mail.Send.Shared"
    if needed not in grants:
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")


def check_size(body):
    if len(body) > MAX_REQUEST:
        raise GraphError(413, "RequestBodyTooLarge", "The request body is larger than 4 MB.")


def mime_of(headers, body):
    if "text/plain" not in headers.get("Content-Type", ""):
        raise GraphError(400, "BadRequest", "A MIME message must be sent as base64 in a text/plain body.")
    try:
        return base64.b64decode(body, validate=True)
    except binascii.Error:
        raise GraphError(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.")


def deliver(address, mailboxes, mime):
    """Exchange's part (ews_sending.deliver): the sender checked, a copy in Sent Items, the
    recipients' Inboxes."""
    try:
        ews_sending.deliver(address, [address] + mailboxes[address].get("send_as", []), mailboxes, mime)
    except ews_items.EwsError as error:
        raise GraphError(403 if error.code == "ErrorSendAsDenied" else 400, error.code, error.text)


def send_mail(who, address, mailboxes, headers, body):
    check_permission(who, address)
    check_size(body)
    deliver(address, mailboxes, mime_of(headers, body))
    return Accepted()


def create_draft(address, headers, body):
    check_size(body)
    item = ews_items.Item(address, "Drafts", mime_of(headers, body))
    item.is_draft = True
    ews_items.items[item.id] = item
    return item


def attach(item, name, content_type, data):
    """The draft's MIME with one more attachment (Graph keeps attachments as items of their own;
    this peer keeps MIME, so it adds a part)."""
    message = email.message_from_bytes(item.mime, policy=email.policy.default)
    maintype, _, subtype = (content_type or "application/octet-stream").partition("/")
    if maintype == "message" or maintype == "multipart":
        maintype, subtype = "application", "octet-stream"
    message.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
    rebuilt = ews_items.Item(item.mailbox, item.folder, message.as_bytes(policy=email.policy.SMTP))
    rebuilt.id, rebuilt.is_draft = item.id, True
    ews_items.items[item.id] = rebuilt


def draft_of(item):
    if not getattr(item, "is_draft", False):
        raise GraphError(400, "ErrorInvalidOperation", "The item is not a draft.")
    return item


def add_file_attachment(item, body):
    check_size(body)
    attachment = json.loads(body or b"{}")
    if attachment.get("@odata.type") != "#microsoft.graph.fileAttachment" or "name" not in attachment:
        raise GraphError(400, "ErrorInvalidRequest", "A fileAttachment with a name is expected.")
    data = base64.b64decode(attachment.get("contentBytes", ""), validate=True)
    attach(draft_of(item), attachment["name"], attachment.get("contentType"), data)
    return {"@odata.type": "#microsoft.graph.fileAttachment", "id": str(uuid.uuid4()), "name": attachment["name"],
            "size": len(data)}


def create_upload_session(item, body, port):
    check_size(body)
    request = json.loads(body or b"{}").get("AttachmentItem") or {}
    size = request.get("size")
    if request.get("attachmentType") != "file" or not request.get("name") or not isinstance(size, int):
        raise GraphError(400, "ErrorInvalidRequest", "AttachmentItem needs attachmentType file, name and size.")
    if size < MIN_UPLOAD_SESSION:
        raise GraphError(400, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
                         "Attachment size must be greater than the minimum size.")
    if size > MAX_ATTACHMENT:
        raise GraphError(413, "ErrorAttachmentSizeExceeded", "The attachment is larger than 150 MB.")
    token = uuid.uuid4().hex
    with lock:
        uploads[token] = {"item": draft_of(item).id, "name": request["name"], "size": size,
                          "contentType": request.get("contentType"), "received": bytearray()}
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=15)
    return {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
            "uploadUrl": "https://localhost:%d/upload/%s" % (port, token),
            "expirationDateTime": expires.strftime("%Y-%m-%dT%H:%M:%S.0000000Z"), "nextExpectedRanges": ["0-"]}


def upload(token, headers, body):
    """PUT of one range to an upload session: (status, body, extra headers)."""
    if headers.get("Authorization"):
        raise GraphError(400, "BadRequest", "The upload URL is pre-authenticated: send no Authorization header.")
    session = uploads.get(token)
    if session is None:
        raise GraphError(404, "ErrorItemNotFound", "The upload session was not found or has expired.")
    check_size(body)
    content_range = headers.get("Content-Range", "")
    try:
        unit, _, span = content_range.partition(" ")
        first_last, _, total = span.partition("/")
        first, _, last = first_last.partition("-")
        first, last, total = int(first), int(last), int(total)
    except ValueError:
        raise GraphError(400, "InvalidContentRange", "The Content-Range header is missing or not valid.")
    with lock:
        received = session["received"]
        if unit != "bytes" or first != len(received) or last - first + 1 != len(body) or total != session["size"]:
            raise GraphError(416, "InvalidRange", "The range does not start where the upload stands (%d)."
                             % len(received))
        received += body
        if len(received) < session["size"]:
            return 200, {"expirationDateTime": "2026-12-31T00:00:00Z", "nextExpectedRanges": [str(len(received))]}, []
        del uploads[token]
    item = ews_items.items.get(session["item"])
    if item is None:
        raise GraphError(404, "ErrorItemNotFound", "The message of the upload session was deleted.")
    attach(item, session["name"], session["contentType"], bytes(received))
    location = "https://outlook.office.com/api/v2.0/Users('%s')/Messages('%s')/Attachments('%s')" % (
        item.mailbox, item.id, uuid.uuid4())
    return 201, None, [("Location", location)]


def send_draft(who, address, mailboxes, item):
    check_permission(who, address)
    deliver(address, mailboxes, draft_of(item).mime)
    with lock:
        ews_items.items.pop(item.id, None)
    return Accepted()
