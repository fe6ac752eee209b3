"""Test peer: the delta query on a folder's messages, by Microsoft's published documents.

learn.microsoft.com/graph/api/message-delta and /graph/delta-query-messages:
  - GET .../mailFolders/{id}/messages/delta, optionally with changeType=created|updated|deleted,
    $select, $filter (only receivedDateTime ge|gt <value>), $orderby (only receivedDateTime desc)
    and the header Prefer: odata.maxpagesize=<n> (default 10 here).
  - A round is one or more pages: each but the last has @odata.nextLink (with $skiptoken), the last
    @odata.deltaLink (with $deltatoken), whose next GET gives the changes since. The options of the
    first request are encoded into those links; a request with a token and other options is refused
    here (400), so a client must follow the links as given.
  - A created or updated message comes with the properties $select names (and its id); a deleted
    one (or one moved out of the folder) as {"id", "@removed": {"reason": "deleted"}}.
  - A state token the service no longer knows is 410 Gone, SyncStateNotFound: start a new round.

Not Graph: GET /test/forget-sync-states makes the peer forget every token (the 410 case)."""
import datetime
import itertools
import re
import threading
import urllib.parse

from graph_sending import GraphError

_lock = threading.Lock()
_tokens = {}  # deltatoken -> the sync state: {"where", "options", "seen": {id: version}}
_skips = {}  # skiptoken -> {"rest": [entries], "delta": the state the round ends in}
_counter = itertools.count(1)
DEFAULT_PAGE = 10
FILTER = re.compile(r"^receivedDateTime (ge|gt) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)$")


def forget_sync_states():
    with _lock:
        _tokens.clear()
        _skips.clear()


def _version(item):
    return (item.is_read, item.flagged, getattr(item, "last_verb", 0))


def _options(query):
    options = {}
    change = query.get("changeType", [""])[0]
    if change not in ("", "created", "updated", "deleted"):
        raise GraphError(400, "BadRequest", "Invalid changeType '%s'." % change)
    options["changeType"] = change
    expression = query.get("$filter", [""])[0]
    if expression:
        match = FILTER.match(expression.strip())
        if not match:
            raise GraphError(400, "BadRequest",
                             "Only receivedDateTime ge or gt is supported in $filter on a messages delta.")
        moment = datetime.datetime.fromisoformat(match.group(2).replace("Z", "+00:00"))
        options["after"] = (match.group(1), moment)
    order = query.get("$orderby", [""])[0]
    if order and order.strip() != "receivedDateTime desc":
        raise GraphError(400, "BadRequest", "Only receivedDateTime desc is supported in $orderby on a messages delta.")
    options["newest_first"] = bool(order)
    for unsupported in ("$expand", "$search", "$skip", "$count"):
        if unsupported in query:
            raise GraphError(400, "BadRequest", "The query option %s is not supported on a delta request." % unsupported)
    select = query.get("$select", [""])[0]
    options["select"] = [field for field in select.split(",") if field] if select else []
    return options


def _in_round(item, options):
    if "after" not in options:
        return True
    operator, moment = options["after"]
    return item.received_at >= moment if operator == "ge" else item.received_at > moment


def _page_size(headers):
    match = re.search(r"odata\.maxpagesize=(\d+)", headers.get("Prefer", ""))
    return max(1, min(1000, int(match.group(1)))) if match else DEFAULT_PAGE


def delta(items, where, query, headers, base_url, message_json):
    """One page of a round for the folder `where` = (mailbox address, folder name); `items` is every
    item of the peer; `message_json(item)` gives the full resource, which $select narrows."""
    with_token = "$deltatoken" in query or "$skiptoken" in query
    if with_token and any(k for k in query if k not in ("$deltatoken", "$skiptoken")):
        raise GraphError(400, "BadRequest", "A delta request with a state token takes no other query options; "
                                            "follow @odata.nextLink or @odata.deltaLink as given.")
    size = _page_size(headers)
    with _lock:
        if "$skiptoken" in query:
            pending = _skips.get(query["$skiptoken"][0])
            if pending is None or pending["delta"]["where"] != where:
                raise GraphError(410, "SyncStateNotFound", "The sync state was not found or has expired.")
            return _page(pending["rest"], pending["delta"], size, base_url)
        if "$deltatoken" in query:
            state = _tokens.get(query["$deltatoken"][0])
            if state is None or state["where"] != where:
                raise GraphError(410, "SyncStateNotFound", "The sync state was not found or has expired.")
            options, seen = state["options"], state["seen"]
        else:
            options, seen = _options(query), {}
        now = [i for i in items.values() if (i.mailbox, i.folder) == where and _in_round(i, options)]
        now.sort(key=lambda i: i.received, reverse=options["newest_first"])
        current = {i.id: _version(i) for i in now}
        entries = []
        change = options["changeType"]
        for item in now:
            if item.id not in seen and change in ("", "created"):
                entries.append(_projected(message_json(item), options["select"]))
            elif item.id in seen and seen[item.id] != current[item.id] and change in ("", "updated"):
                entries.append(_projected(message_json(item), options["select"]))
        if change in ("", "deleted"):
            entries += [{"@odata.type": "#microsoft.graph.message", "id": gone, "@removed": {"reason": "deleted"}}
                        for gone in seen if gone not in current]
        return _page(entries, {"where": where, "options": options, "seen": current}, size, base_url)


def _projected(resource, select):
    body = {"@odata.type": "#microsoft.graph.message", "@odata.etag": 'W/"%s"' % resource["id"][-8:]}
    for name, value in resource.items():
        if not select or name == "id" or name in select:
            body[name] = value
    return body


def _page(entries, state, size, base_url):
    """Caller holds _lock."""
    token = "%d-%s" % (next(_counter), "x" * 40)  # opaque, and as long as a real one is at least
    body = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
            "value": entries[:size]}
    if len(entries) > size:
        _skips[token] = {"rest": entries[size:], "delta": state}
        body["@odata.nextLink"] = base_url + "?" + urllib.parse.urlencode({"$skiptoken": token})
    else:
        _tokens[token] = state
        body["@odata.deltaLink"] = base_url + "?" + urllib.parse.urlencode({"$deltatoken": token})
    return body
