"""SyncFolderItems for the EWS test peer, by Microsoft's EWS reference
(learn.microsoft.com/exchange/client-developer/web-service-reference/syncfolderitems-operation):

  m:ItemShape (required), m:SyncFolderId (t:FolderId or t:DistinguishedFolderId), m:SyncState
  (absent or empty: from the folder's beginning), m:Ignore (not served here), m:MaxChangesReturned
  (required, 1-512), m:SyncScope (NormalItems). The answer has m:SyncState, m:IncludesLastItemInRange
  and m:Changes of t:Create (the item, IdOnly: its t:ItemId), t:Update, t:Delete (a t:ItemId) and
  t:ReadFlagChange (t:ItemId, t:IsRead), oldest first. A SyncState this server did not give is
  ErrorInvalidSyncStateData.

The states are kept here under opaque base64 tokens (Exchange encodes its own into the token)."""
import base64
import itertools
import os

from ews_items import NS, EwsError, items, folder_for, success, responses

_states = {}  # token -> (mailbox, folder, {id: (is_read, version)})
_counter = itertools.count(1)


def _version(item):
    return (item.is_read, item.flagged, getattr(item, "last_verb", 0))


def sync_folder_items(mailbox, operation, folders, folder_id):
    """Caller holds ews_items.lock."""
    name = "SyncFolderItems"
    if operation.find("m:ItemShape", NS) is None:
        raise EwsError("ErrorSchemaValidation", "The request failed schema validation: m:ItemShape is missing.")
    most_text = operation.findtext("m:MaxChangesReturned", "", NS)
    if not most_text.isdigit() or not 1 <= int(most_text) <= 512:
        raise EwsError("ErrorSchemaValidation", "The request failed schema validation: MaxChangesReturned.")
    most = int(most_text)
    if operation.find("m:Ignore", NS) is not None:
        raise EwsError("ErrorInvalidRequest", "This test server does not serve m:Ignore.")
    folder = folder_for(mailbox, operation.find("m:SyncFolderId", NS), folders, folder_id)
    token = (operation.findtext("m:SyncState", "", NS) or "").strip()
    if token:
        state = _states.get(token)
        if state is None or state[:2] != (mailbox, folder):
            raise EwsError("ErrorInvalidSyncStateData", "Synchronization state data is corrupt or otherwise invalid.")
        seen = dict(state[2])
    else:
        seen = {}
    now = sorted((i for i in items.values() if i.mailbox == mailbox and i.folder == folder), key=lambda i: i.received)
    changes = []
    for item in now:
        if item.id not in seen:
            changes.append((item.id, _version(item),
                            '<t:Create><t:Message><t:ItemId Id="%s" ChangeKey="CQAAABYAAAA="/></t:Message></t:Create>'
                            % item.id))
        elif seen[item.id] != _version(item):
            if seen[item.id][1:] == _version(item)[1:]:
                body = ('<t:ReadFlagChange><t:ItemId Id="%s" ChangeKey="CQAAABYAAAA="/><t:IsRead>%s</t:IsRead>'
                        '</t:ReadFlagChange>' % (item.id, "true" if item.is_read else "false"))
            else:
                body = ('<t:Update><t:Message><t:ItemId Id="%s" ChangeKey="CQAAABYAAAA="/></t:Message></t:Update>'
                        % item.id)
            changes.append((item.id, _version(item), body))
    current = {i.id for i in now}
    for gone in [i for i in seen if i not in current]:
        changes.append((gone, None, '<t:Delete><t:ItemId Id="%s" ChangeKey="CQAAABYAAAA="/></t:Delete>' % gone))
    taken = changes[:most]
    for item_id, version, _body in taken:
        if version is None:
            seen.pop(item_id, None)
        else:
            seen[item_id] = version
    new_token = base64.b64encode(("%d:" % next(_counter)).encode() + os.urandom(24)).decode()
    _states[new_token] = (mailbox, folder, seen)
    return responses(name, [success(name, "<m:SyncState>%s</m:SyncState><m:IncludesLastItemInRange>%s"
                                          "</m:IncludesLastItemInRange><m:Changes>%s</m:Changes>"
                                    % (new_token, "true" if len(changes) <= most else "false",
                                       "".join(body for _i, _v, body in taken)))])
