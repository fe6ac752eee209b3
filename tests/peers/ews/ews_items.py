"""Items for the EWS test peer: the mail in a mailbox and the EWS operations on it, by Microsoft's
EWS reference (learn.microsoft.com/exchange/client-developer/web-service-reference):

  FindItem     Traversal Shallow, IdOnly, IndexedPageItemView (Offset, MaxEntriesReturned,
               BasePoint Beginning), Restriction (And, Or, Not, IsEqualTo, IsNotEqualTo,
               IsGreaterThanOrEqualTo, IsLessThan, Contains Substring/IgnoreCase) on message:IsRead,
               item:DateTimeSent, item:Subject, item:HasAttachments and PidTagFlagStatus
               (ExtendedFieldURI 0x1090), SortOrder on item:DateTimeReceived; RootFolder answers
               IndexedPagingOffset, TotalItemsInView, IncludesLastItemInRange
  GetItem      IdOnly plus AdditionalProperties, or IncludeMimeContent (base64 MimeContent)
  UpdateItem   SetItemField message:IsRead, item:Flag (FlagStatus), and the extended properties
               PidTagLastVerbExecuted (0x1081) and PidTagIconIndex (0x1080)
  MoveItem, CopyItem   ToFolderId, ReturnNewItemIds: the new ItemId (an item's id changes when
               it moves)
  DeleteItem   MoveToDeletedItems or HardDelete
  SyncFolderItems  in ews_sync.py
  CreateItem   SaveOnly into SavedItemFolderId, from MimeContent, PidTagMessageFlags honoured
               (MSGFLAG_READ; MSGFLAG_UNSENT makes a draft SendItem may send), t:BccRecipients kept;
               the sending dispositions are ews_sending.py's
Errors: ErrorItemNotFound, ErrorInvalidIdMalformed, ErrorFolderNotFound, ErrorInvalidRestriction.

Mail is parsed with Python's email package; seeded from the .eml files the Dovecot peer's
seed-mail.py writes.
"""
import base64
import datetime
import email
import email.policy
import email.utils
import itertools
import os
import threading
from xml.sax.saxutils import escape, quoteattr

T = "http://schemas.microsoft.com/exchange/services/2006/types"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
NS = {"t": T, "m": M}
DISTINGUISHED = {"inbox": "Inbox", "sentitems": "Sent Items", "drafts": "Drafts", "deleteditems": "Deleted Items",
                 "junkemail": "Junk Email", "archive": "Archive"}

lock = threading.Lock()
counter = itertools.count(1)
on_new_item = []  # callbacks(item, delivered=False) for every item stored (ews_streaming.py)


class _Items(dict):
    """id -> Item; storing one tells on_new_item (its caller holds `lock`)."""

    def __setitem__(self, key, item):
        super().__setitem__(key, item)
        for callback in on_new_item:
            callback(item, getattr(item, "delivered", False))


items = _Items()


class EwsError(Exception):
    def __init__(self, code, text):
        super().__init__(text)
        self.code, self.text = code, text


class Item:
    def __init__(self, mailbox, folder, mime, is_read=False, flagged=False):
        self.mailbox, self.folder, self.mime = mailbox, folder, mime
        self.is_read, self.flagged = is_read, flagged
        self.received = next(counter)  # arrival order
        self.received_at = datetime.datetime.now(datetime.timezone.utc)  # Graph's receivedDateTime
        self.id = base64.b64encode(("%s:item:%d" % (mailbox, self.received)).encode()).decode()
        message = email.message_from_bytes(mime, policy=email.policy.default)
        self.subject = str(message["subject"] or "")
        self.sender = self.addresses(message, "from")
        self.to = self.addresses(message, "to")
        self.cc = self.addresses(message, "cc")
        date = message["date"].datetime if message["date"] else None
        self.sent = date.astimezone(datetime.timezone.utc) if date else None
        self.message_id = str(message["message-id"] or "")
        self.attachments = []
        for part in message.walk():
            if part.is_multipart() and part.get_content_type() not in ("message/rfc822",):
                continue
            disposition = part.get_content_disposition()
            name = part.get_filename()
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload(0)
                self.attachments.append(("ItemAttachment", str(inner["subject"] or "message"), "message/rfc822",
                                         len(inner.as_bytes()), False))
                continue
            if disposition == "attachment" or (name and disposition != "inline"):
                payload = part.get_payload(decode=True) or b""
                self.attachments.append(("FileAttachment", name or "attachment", part.get_content_type(),
                                         len(payload), False))

    @staticmethod
    def addresses(message, header):
        value = message[header]
        if value is None:
            return []
        return [(a.display_name, a.addr_spec) for a in value.addresses]

    def field(self, uri):
        if uri == "message:IsRead":
            return self.is_read
        if uri == "item:DateTimeSent":
            return self.sent
        if uri == "item:Subject":
            return self.subject
        if uri == "item:HasAttachments":
            return bool(self.attachments)
        if uri == "0x1090":
            return 2 if self.flagged else 0
        raise EwsError("ErrorUnsupportedPathForQuery", "The property %s cannot be used in a restriction." % uri)


def seed(mailbox, folder, directory, every_file=False):
    """Stores the .eml files of `directory` (with .flags beside them; `every_file`: all its files,
    as in a maildir's cur/) in `folder`, in name order."""
    for name in sorted(os.listdir(directory)):
        if not every_file and not name.endswith(".eml"):
            continue
        with open(os.path.join(directory, name), "rb") as f:
            mime = f.read()
        flags_path = os.path.join(directory, name[:-4] + ".flags") if name.endswith(".eml") else ""
        flags = open(flags_path).read() if os.path.exists(flags_path) else ""
        item = Item(mailbox, folder, mime, is_read="\\Seen" in flags, flagged="\\Flagged" in flags)
        items[item.id] = item


def item_for(mailbox, element):
    item_id = element.get("Id") if element is not None else None
    try:
        decoded = base64.b64decode(item_id or "", validate=True).decode()
    except Exception:
        raise EwsError("ErrorInvalidIdMalformed", "Id is malformed.")
    if ":item:" not in decoded:
        raise EwsError("ErrorInvalidIdMalformed", "Id is malformed.")
    item = items.get(item_id)
    if item is None or item.mailbox != mailbox:
        raise EwsError("ErrorItemNotFound", "The specified object was not found in the store.")
    return item


def folder_for(mailbox, element, folders, folder_id):
    """The folder name an m:*FolderId element names (t:FolderId or t:DistinguishedFolderId)."""
    plain = element.find("t:FolderId", NS) if element is not None else None
    if plain is not None:
        for name, _parent, _class in folders:
            if folder_id(mailbox, name) == plain.get("Id"):
                return name
        raise EwsError("ErrorFolderNotFound", "The specified folder could not be found in the store.")
    distinguished = element.find("t:DistinguishedFolderId", NS) if element is not None else None
    if distinguished is not None and distinguished.get("Id") in DISTINGUISHED:
        name = DISTINGUISHED[distinguished.get("Id")]
        if any(f[0] == name for f in folders):
            return name
    raise EwsError("ErrorFolderNotFound", "The specified folder could not be found in the store.")


def constant(node):
    value = node.find("t:FieldURIOrConstant/t:Constant", NS)
    if value is None:
        value = node.find("t:Constant", NS)
    if value is None:
        raise EwsError("ErrorInvalidRestriction", "The restriction has no constant.")
    return value.get("Value")


def path_of(node):
    uri = node.find("t:FieldURI", NS)
    if uri is not None:
        return uri.get("FieldURI")
    extended = node.find("t:ExtendedFieldURI", NS)
    if extended is not None and extended.get("PropertyTag", "").lower() == "0x1090":
        return "0x1090"
    raise EwsError("ErrorInvalidRestriction", "The restriction names no property this server searches.")


def typed(uri, text):
    if uri in ("message:IsRead", "item:HasAttachments"):
        return text == "true"
    if uri == "item:DateTimeSent":
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if uri == "0x1090":
        return int(text)
    return text


def matches(item, node):
    tag = node.tag.split("}")[1]
    if tag == "And":
        return all(matches(item, child) for child in node)
    if tag == "Or":
        return any(matches(item, child) for child in node)
    if tag == "Not":
        return not matches(item, node[0])
    if tag == "Contains":
        if node.get("ContainmentMode") != "Substring":
            raise EwsError("ErrorInvalidRestriction", "This server implements ContainmentMode Substring only.")
        value, wanted = item.field(path_of(node)), constant(node)
        if node.get("ContainmentComparison") == "IgnoreCase":
            return wanted.lower() in value.lower()
        return wanted in value
    uri = path_of(node)
    value, wanted = item.field(uri), typed(uri, constant(node))
    if value is None:
        return False
    return {"IsEqualTo": value == wanted, "IsNotEqualTo": value != wanted,
            "IsGreaterThanOrEqualTo": value >= wanted, "IsLessThan": value < wanted,
            "IsGreaterThan": value > wanted, "IsLessThanOrEqualTo": value <= wanted}[tag]


def mailbox_xml(name, address):
    return ("<t:Mailbox><t:Name>%s</t:Name><t:EmailAddress>%s</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType>"
            "</t:Mailbox>" % (escape(name or address), escape(address)))


def item_xml(item, shape, folder_id):
    parts = ['<t:ItemId Id="%s" ChangeKey="CQAAABYAAAA="/>' % item.id]
    if shape.get("mime"):
        parts.insert(0, '<t:MimeContent CharacterSet="UTF-8">%s</t:MimeContent>' % base64.b64encode(item.mime).decode())
    wanted = shape.get("fields", set())
    if "item:ParentFolderId" in wanted:
        parts.append('<t:ParentFolderId Id="%s" ChangeKey="AQAAAA=="/>' % folder_id(item.mailbox, item.folder))
    if "item:Subject" in wanted:
        parts.append("<t:Subject>%s</t:Subject>" % escape(item.subject))
    if "item:DateTimeSent" in wanted and item.sent:
        parts.append("<t:DateTimeSent>%s</t:DateTimeSent>" % item.sent.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if "item:Size" in wanted:
        parts.append("<t:Size>%d</t:Size>" % len(item.mime))
    if "item:Attachments" in wanted and item.attachments:
        parts.append("<t:Attachments>%s</t:Attachments>" % "".join(
            '<t:%s><t:AttachmentId Id="%s-%d"/><t:Name>%s</t:Name>%s<t:Size>%d</t:Size><t:IsInline>%s</t:IsInline>'
            '</t:%s>' % (kind, item.id, n, escape(name),
                         "<t:ContentType>%s</t:ContentType>" % escape(content_type) if kind == "FileAttachment" else "",
                         size, "true" if inline else "false", kind)
            for n, (kind, name, content_type, size, inline) in enumerate(item.attachments)))
    if "0x1081" in wanted and getattr(item, "last_verb", 0):  # PidTagLastVerbExecuted
        parts.append('<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x1081" PropertyType="Integer"/>'
                     '<t:Value>%d</t:Value></t:ExtendedProperty>' % item.last_verb)
    if "message:ToRecipients" in wanted and item.to:
        parts.append("<t:ToRecipients>%s</t:ToRecipients>" % "".join(mailbox_xml(*a) for a in item.to))
    if "message:CcRecipients" in wanted and item.cc:
        parts.append("<t:CcRecipients>%s</t:CcRecipients>" % "".join(mailbox_xml(*a) for a in item.cc))
    if "message:IsRead" in wanted:
        parts.append("<t:IsRead>%s</t:IsRead>" % ("true" if item.is_read else "false"))
    if "item:Flag" in wanted:
        parts.append("<t:Flag><t:FlagStatus>%s</t:FlagStatus></t:Flag>" % ("Flagged" if item.flagged else "NotFlagged"))
    if "message:From" in wanted and item.sender:
        parts.append("<t:From>%s</t:From>" % mailbox_xml(*item.sender[0]))
    if "message:InternetMessageId" in wanted and item.message_id:
        parts.append("<t:InternetMessageId>%s</t:InternetMessageId>" % escape(item.message_id))
    return "<t:Message>%s</t:Message>" % "".join(parts)


def shape_of(operation):
    shape = operation.find("m:ItemShape", NS)
    if shape is None or shape.find("t:BaseShape", NS) is None:
        raise EwsError("ErrorSchemaValidation", "The request failed schema validation: m:ItemShape is missing.")
    fields = set()
    for path in shape.findall("t:AdditionalProperties/*", NS):
        fields.add(path.get("FieldURI") or path.get("PropertyTag", "").lower())
    return {"fields": fields, "mime": shape.findtext("t:IncludeMimeContent", "", NS) == "true"}


def responses(operation, messages):
    return ('<m:%sResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages>%s</m:ResponseMessages></m:%sResponse>'
            % (operation, M, T, "".join(messages), operation))


def success(operation, body=""):
    return ('<m:%sResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>%s'
            '</m:%sResponseMessage>' % (operation, body, operation))


def failure(operation, error):
    return ('<m:%sResponseMessage ResponseClass="Error"><m:MessageText>%s</m:MessageText><m:ResponseCode>%s'
            '</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:%sResponseMessage>'
            % (operation, escape(error.text), error.code, operation))


def per_item(operation, elements, work):
    """One response message per item id: work(element) returns the message's body."""
    messages = []
    for element in elements:
        try:
            messages.append(success(operation, work(element)))
        except EwsError as error:
            messages.append(failure(operation, error))
    return responses(operation, messages)


def handle(mailbox, operation, folders, folder_id):
    """Answers an item operation, or returns None when `operation` is not one."""
    name = operation.tag.split("}")[1]
    with lock:
        try:
            return dispatch(mailbox, name, operation, folders, folder_id)
        except EwsError as error:
            if name not in ("FindItem", "GetItem", "UpdateItem", "MoveItem", "CopyItem", "DeleteItem", "CreateItem",
                            "SyncFolderItems"):
                raise
            return responses(name, [failure(name, error)])


def dispatch(mailbox, name, operation, folders, folder_id):
    if name == "SyncFolderItems":
        import ews_sync  # noqa: E402  (SyncFolderItems, by the same reference)
        return ews_sync.sync_folder_items(mailbox, operation, folders, folder_id)
    if name == "FindItem":
        if operation.get("Traversal") != "Shallow":
            raise EwsError("ErrorInvalidRequest", "This test server finds items Shallow only.")
        shape_of(operation)
        folder = folder_for(mailbox, operation.find("m:ParentFolderIds", NS), folders, folder_id)
        found = [i for i in items.values() if i.mailbox == mailbox and i.folder == folder]
        restriction = operation.find("m:Restriction", NS)
        if restriction is not None:
            if len(restriction) != 1:
                raise EwsError("ErrorInvalidRestriction", "A restriction has one search expression.")
            found = [i for i in found if matches(i, restriction[0])]
        order = operation.find("m:SortOrder/t:FieldOrder", NS)
        descending = order is not None and order.get("Order") == "Descending"
        found.sort(key=lambda i: i.received, reverse=descending)
        view = operation.find("m:IndexedPageItemView", NS)
        offset, limit = 0, 1000
        if view is not None:
            if view.get("BasePoint") != "Beginning":
                raise EwsError("ErrorInvalidRequest", "This test server pages from the Beginning only.")
            offset, limit = int(view.get("Offset", "0")), min(1000, int(view.get("MaxEntriesReturned", "1000")))
        page = found[offset:offset + limit]
        return responses(name, [success(name, '<m:RootFolder IndexedPagingOffset="%d" TotalItemsInView="%d" '
                                              'IncludesLastItemInRange="%s"><t:Items>%s</t:Items></m:RootFolder>'
                                        % (offset + len(page), len(found),
                                           "true" if offset + len(page) >= len(found) else "false",
                                           "".join(item_xml(i, {}, folder_id) for i in page)))])
    if name == "GetItem":
        shape = shape_of(operation)
        ids = operation.findall("m:ItemIds/t:ItemId", NS)
        return per_item(name, ids, lambda e: "<m:Items>%s</m:Items>" % item_xml(item_for(mailbox, e), shape, folder_id))
    if name == "UpdateItem":
        def update(change):
            item = item_for(mailbox, change.find("t:ItemId", NS))
            for set_field in change.findall("t:Updates/t:SetItemField", NS):
                plain, extended = set_field.find("t:FieldURI", NS), set_field.find("t:ExtendedFieldURI", NS)
                if plain is None and extended is None:
                    raise EwsError("ErrorSchemaValidation", "SetItemField names no property.")
                uri = plain.get("FieldURI") if plain is not None else extended.get("PropertyTag", "").lower()
                if uri == "message:IsRead":
                    item.is_read = set_field.findtext("t:Message/t:IsRead", "", NS) == "true"
                elif uri == "item:Flag":
                    item.flagged = set_field.findtext("t:Message/t:Flag/t:FlagStatus", "", NS) == "Flagged"
                elif uri in ("0x1081", "0x1080"):  # PidTagLastVerbExecuted, PidTagIconIndex
                    value = set_field.findtext("t:Message/t:ExtendedProperty/t:Value", "", NS)
                    if not value.isdigit():
                        raise EwsError("ErrorInvalidExtendedPropertyValue", "The extended property value is invalid.")
                    setattr(item, "last_verb" if uri == "0x1081" else "icon_index", int(value))
                else:
                    raise EwsError("ErrorInvalidPropertySet", "This test server updates IsRead and Flag only.")
            return "<m:Items>%s</m:Items>" % item_xml(item, {}, folder_id)
        if operation.get("ConflictResolution") is None:
            raise EwsError("ErrorSchemaValidation", "ConflictResolution is required.")
        return per_item(name, operation.findall("m:ItemChanges/t:ItemChange", NS), update)
    if name in ("MoveItem", "CopyItem"):
        destination = folder_for(mailbox, operation.find("m:ToFolderId", NS), folders, folder_id)
        return_ids = operation.findtext("m:ReturnNewItemIds", "false", NS) == "true"

        def transfer(element):
            item = item_for(mailbox, element)
            moved = Item(mailbox, destination, item.mime, item.is_read, item.flagged)
            items[moved.id] = moved
            if name == "MoveItem":
                del items[item.id]
            return "<m:Items>%s</m:Items>" % (item_xml(moved, {}, folder_id) if return_ids else "")
        return per_item(name, operation.findall("m:ItemIds/t:ItemId", NS), transfer)
    if name == "DeleteItem":
        kind = operation.get("DeleteType")
        if kind not in ("HardDelete", "SoftDelete", "MoveToDeletedItems"):
            raise EwsError("ErrorSchemaValidation", "DeleteType is required.")

        def delete(element):
            item = item_for(mailbox, element)
            del items[item.id]
            if kind == "MoveToDeletedItems" and item.folder != "Deleted Items":
                moved = Item(mailbox, "Deleted Items", item.mime, item.is_read, item.flagged)
                items[moved.id] = moved
            return ""
        return per_item(name, operation.findall("m:ItemIds/t:ItemId", NS), delete)
    if name == "CreateItem":
        if operation.get("MessageDisposition") != "SaveOnly":
            raise EwsError("ErrorInvalidRequest", "MessageDisposition is required for messages.")
        folder = folder_for(mailbox, operation.find("m:SavedItemFolderId", NS), folders, folder_id)

        def create(message):
            mime = base64.b64decode(message.findtext("t:MimeContent", "", NS))
            flags = 0
            for prop in message.findall("t:ExtendedProperty", NS):
                if prop.find("t:ExtendedFieldURI", NS).get("PropertyTag", "").lower() == "0x0e07":
                    flags = int(prop.findtext("t:Value", "0", NS))
            item = Item(mailbox, folder, mime, is_read=flags & 1 == 1)
            item.is_draft = flags & 8 == 8  # MSGFLAG_UNSENT: SendItem may send it
            item.bcc = [a.text.strip() for a in message.findall("t:BccRecipients/t:Mailbox/t:EmailAddress", NS)
                        if a.text]
            items[item.id] = item
            return "<m:Items>%s</m:Items>" % item_xml(item, {}, folder_id)
        return per_item(name, operation.findall("m:Items/t:Message", NS), create)
    return None
