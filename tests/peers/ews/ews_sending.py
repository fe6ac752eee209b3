"""Sending, for the EWS test peer (ews-server.py) and the Graph one (graph_sending.py), by
Microsoft's EWS reference (learn.microsoft.com/exchange/client-developer/web-service-reference):

  CreateItem   MessageDisposition SendOnly (sent, no copy saved) or SendAndSaveCopy (a copy in
               SavedItemFolderId, Sent Items when it is left out), from MimeContent, with
               t:BccRecipients; no ItemId is returned. "CreateItem does not support delegate
               access when the SendOnly option is used": the message is sent from the signed-in
               user's own mailbox then, whatever mailbox the request is routed to.
  SendItem     of a draft (PidTagMessageFlags MSGFLAG_UNSENT, saved with SaveOnly), ItemId with
               its ChangeKey (a write needs it: ErrorChangeKeyRequiredForWriteOperations);
               SaveItemToFolder false (no copy) or true (SavedItemFolderId, else Sent Items). The
               draft is gone afterwards.
Exchange's part (deliver): a From other than the signed-in user's own address needs the user's
"send_as" list in the test data (ErrorSendAsDenied); a message larger than the mailbox's
"max_send_bytes" (35,000,000 by default, Exchange Online's 35 MB) is refused
(ErrorMessageSizeExceeded); no recipient at all is ErrorInvalidRecipients. The sent copy keeps its
Bcc field, as Exchange's MimeContent of a sent item does; the copies delivered to the Inbox of each
recipient that is a mailbox of the peer do not.
"""
import base64
import email
import email.policy

import ews_items
from ews_items import NS, EwsError

DEFAULT_MAX_SEND = 35 * 1000 * 1000


def deliver(mailbox, allowed, mailboxes, mime, bcc=(), save_in="Sent Items"):
    """Sends `mime` from `mailbox`, whose From must be one of `allowed`; `bcc`: blind copies besides
    the message's own Bcc field; `save_in`: the folder of the sent copy, or None."""
    if len(mime) > mailboxes.get(mailbox, {}).get("max_send_bytes", DEFAULT_MAX_SEND):
        raise EwsError("ErrorMessageSizeExceeded", "The message exceeds the maximum supported size.")
    message = email.message_from_bytes(mime, policy=email.policy.default)
    senders = [a.addr_spec.lower() for a in message["from"].addresses] if message["from"] else [mailbox]
    allowed = [a.lower() for a in allowed]
    if any(s not in allowed for s in senders):
        raise EwsError("ErrorSendAsDenied", "The user account which was used to submit this request does not "
                       "have the right to send mail on behalf of the specified sending account.")
    recipients = []
    for field in ("to", "cc", "bcc"):
        if message[field]:
            recipients += [a.addr_spec.lower() for a in message[field].addresses]
    recipients += [address.lower() for address in bcc]
    if not recipients:
        raise EwsError("ErrorInvalidRecipients", "At least one recipient isn't valid.")
    if save_in is not None:
        copy = email.message_from_bytes(mime, policy=email.policy.default)
        if bcc:
            everyone = [str(a) for a in copy["bcc"].addresses] if copy["bcc"] else []
            del copy["bcc"]
            copy["Bcc"] = ", ".join(everyone + list(bcc))
        sent = ews_items.Item(mailbox, save_in, copy.as_bytes(policy=email.policy.SMTP), True)
        ews_items.items[sent.id] = sent
    del message["bcc"]
    delivered = message.as_bytes(policy=email.policy.SMTP)
    for recipient in dict.fromkeys(recipients):
        if recipient in mailboxes and any(f[0] == "Inbox" for f in mailboxes[recipient]["folders"]):
            item = ews_items.Item(recipient, "Inbox", delivered)
            item.delivered = True  # a NewMailEvent too (ews_streaming.py)
            ews_items.items[item.id] = item


def allowed_senders(principal, mailbox, mailboxes):
    """Who may appear in From: the signed-in user (app-only: the impersonated mailbox) and those it
    may send as."""
    kind, who = principal
    own = mailbox if kind == "app" else who
    return [own] + mailboxes.get(own, {}).get("send_as", [])


def bcc_of(message):
    return [a.text.strip() for a in message.findall("t:BccRecipients/t:Mailbox/t:EmailAddress", NS) if a.text]


def handle(principal, mailbox, operation, mailboxes, folder_id):
    """Answers CreateItem that sends and SendItem; None for any other operation."""
    name = operation.tag.split("}")[1]
    disposition = operation.get("MessageDisposition")
    if not (name == "SendItem" or (name == "CreateItem" and disposition in ("SendOnly", "SendAndSaveCopy"))):
        return None
    with ews_items.lock:
        try:
            if name == "CreateItem":
                return create_and_send(principal, mailbox, operation, mailboxes, folder_id)
            return send_item(principal, mailbox, operation, mailboxes, folder_id)
        except EwsError as error:
            return ews_items.responses(name, [ews_items.failure(name, error)])


def create_and_send(principal, mailbox, operation, mailboxes, folder_id):
    kind, who = principal
    keep = operation.get("MessageDisposition") == "SendAndSaveCopy"
    if not keep and kind == "user":
        mailbox = who  # no folder names another mailbox: the user's own
    save_in = None
    if keep:
        saved = operation.find("m:SavedItemFolderId", NS)
        save_in = ews_items.folder_for(mailbox, saved, mailboxes[mailbox]["folders"], folder_id) \
            if saved is not None else "Sent Items"
    messages = []
    for message in operation.findall("m:Items/t:Message", NS):
        try:
            mime = base64.b64decode(message.findtext("t:MimeContent", "", NS), validate=True)
        except ValueError:
            raise EwsError("ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.")
        deliver(mailbox, allowed_senders(principal, mailbox, mailboxes), mailboxes, mime, bcc_of(message), save_in)
        messages.append(ews_items.success("CreateItem", "<m:Items/>"))
    if not messages:
        raise EwsError("ErrorSchemaValidation", "The request failed schema validation: no item to create.")
    return ews_items.responses("CreateItem", messages)


def send_item(principal, mailbox, operation, mailboxes, folder_id):
    save = operation.get("SaveItemToFolder")
    if save not in ("true", "false"):
        raise EwsError("ErrorSchemaValidation", "SaveItemToFolder is required.")
    save_in = None
    if save == "true":
        saved = operation.find("m:SavedItemFolderId", NS)
        save_in = ews_items.folder_for(mailbox, saved, mailboxes[mailbox]["folders"], folder_id) \
            if saved is not None else "Sent Items"
    messages = []
    for element in operation.findall("m:ItemIds/t:ItemId", NS):
        try:
            item = ews_items.item_for(mailbox, element)
            if not element.get("ChangeKey"):
                raise EwsError("ErrorChangeKeyRequiredForWriteOperations",
                               "Change key is required if you're trying to perform a write operation on an item.")
            if not getattr(item, "is_draft", False):
                raise EwsError("ErrorInvalidOperation", "The item has been sent already; only a draft can be sent.")
            deliver(mailbox, allowed_senders(principal, mailbox, mailboxes), mailboxes, item.mime,
                    getattr(item, "bcc", []), save_in)
            del ews_items.items[item.id]
            messages.append(ews_items.success("SendItem"))
        except EwsError as error:
            messages.append(ews_items.failure("SendItem", error))
    if not messages:
        raise EwsError("ErrorSchemaValidation", "The request failed schema validation: no item id.")
    return ews_items.responses("SendItem", messages)
