"""Streaming notifications for the EWS test peer, by Microsoft's EWS reference
(learn.microsoft.com/exchange/client-developer/web-service-reference: Subscribe, GetStreamingEvents,
Unsubscribe operations; "Streaming notifications and EWS in Exchange"; "Handling notification-related
errors in EWS"):

  - Subscribe with m:StreamingSubscriptionRequest: t:FolderIds (one folder of one mailbox) and
    t:EventTypes; answered with m:SubscriptionId (streaming subscriptions have no watermark). At
    most 20 subscriptions per account (Exchange Online's EWSMaxSubscriptions; a mailbox's
    "subscription_limit" sets its own), else ErrorExceededSubscriptionCount.
  - GetStreamingEvents: m:SubscriptionIds/t:SubscriptionId and m:ConnectionTimeout (1-30 minutes).
    HTTP 200 with a chunked body of SOAP envelopes, one GetStreamingEventsResponse each: the
    notifications as they happen (t:CreatedEvent and, for delivered mail, t:NewMailEvent, with
    t:TimeStamp, t:ItemId and t:ParentFolderId), an envelope without notifications every few
    seconds to keep the connection alive, and at the timeout a last one with m:ConnectionStatus
    Closed; a newer GetStreamingEvents for the same subscription ends the older connection the
    same way (a subscription streams on one connection at a time). An unknown subscription: one envelope with ErrorSubscriptionNotFound. More than 10
    open at once per account (Exchange Online's HangingConnectionLimit; a mailbox's
    "streaming_connection_limit" sets its own): ErrorExceededConnectionCount.
  - Unsubscribe: m:SubscriptionId.

  - Affinity ("Maintain affinity between a group of subscriptions and the Mailbox server"): a
    Subscribe with X-PreferServerAffinity: true is answered with a Set-Cookie X-BackEndOverrideCookie;
    a later request about that subscription without the cookie lands, as it would behind Exchange
    Online's load balancer, on a server that does not know it: ErrorSubscriptionNotFound.

For the tests, a mailbox's "stream_minute_seconds" makes its ConnectionTimeout minutes that many
seconds, and "subscriptions_lapse" makes a subscription lapse when its connection closes (as
Exchange lets one lapse 30 minutes after its last connection).
"""
import os
import datetime
import threading
import uuid

import ews_items
from ews_items import NS, EwsError, folder_for, responses, success

KEEP_ALIVE_SECONDS = float(os.environ.get("EWS_PEER_KEEP_ALIVE_SECONDS", "5"))

_condition = threading.Condition()
_subscriptions = {}  # id -> Subscription
_open = {}  # mailbox -> open streaming connections


class Answer(str):
    """A SOAP body with HTTP headers of its own (Set-Cookie)."""
    headers = ()


class Subscription:
    def __init__(self, mailbox, folder, types):
        self.id = str(uuid.uuid4())
        self.cookie = None  # "X-BackEndOverrideCookie=..." when affinity was asked for
        self.stream = None  # the one connection streaming it: a newer one ends the older
        self.mailbox, self.folder, self.types = mailbox, folder, types
        self.events = []  # XML of events not yet streamed


def _on_new_item(item, delivered=False):
    """ews_items calls this for every item stored (caller holds ews_items.lock)."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with _condition:
        for subscription in _subscriptions.values():
            if subscription.mailbox != item.mailbox or subscription.folder != item.folder:
                continue
            body = ('<t:TimeStamp>%s</t:TimeStamp><t:ItemId Id="%s" ChangeKey="CQAAABYAAAA="/>'
                    '<t:ParentFolderId Id="%s" ChangeKey="AQAAAA=="/>' % (stamp, item.id, subscription.folder_id))
            for kind in ("CreatedEvent", "NewMailEvent") if delivered else ("CreatedEvent",):
                if kind in subscription.types:
                    subscription.events.append("<t:%s>%s</t:%s>" % (kind, body, kind))
        _condition.notify_all()


ews_items.on_new_item.append(_on_new_item)


def _routed(subscription, headers):
    """Whether a request about `subscription` reaches the server that keeps it (its affinity cookie)."""
    if subscription is None or subscription.cookie is None:
        return True
    return subscription.cookie in [c.strip() for c in headers.get("Cookie", "").split(";")]


def handle(mailbox, operation, folders, folder_id, settings, headers):
    """Subscribe and Unsubscribe answered; GetStreamingEvents returns a Stream; None for others."""
    name = operation.tag.split("}")[1]
    if name == "Subscribe":
        request = operation.find("m:StreamingSubscriptionRequest", NS)
        if request is None:
            raise EwsError("ErrorInvalidRequest", "This test server serves streaming subscriptions only.")
        ids = request.findall("t:FolderIds/*", NS)
        if len(ids) != 1:
            raise EwsError("ErrorInvalidSubscriptionRequest", "This test server subscribes to one folder at a time.")
        types = {element.text for element in request.findall("t:EventTypes/t:EventType", NS)}
        if not types:
            raise EwsError("ErrorSchemaValidation", "The request failed schema validation: EventTypes is required.")
        with ews_items.lock:
            folder = folder_for(mailbox, request.find("t:FolderIds", NS), folders, folder_id)
        with _condition:
            held = sum(1 for s in _subscriptions.values() if s.mailbox == mailbox)
            if held >= settings.get("subscription_limit", 20):
                return responses(name, [_error(name, "ErrorExceededSubscriptionCount",
                                               "You have exceeded the maximum number of subscriptions.")])
            subscription = Subscription(mailbox, folder, types)
            subscription.folder_id = folder_id(mailbox, folder)
            if headers.get("X-PreferServerAffinity", "").lower() == "true":
                subscription.cookie = "X-BackEndOverrideCookie=MBX%02d.contoso.test~%d" % (
                    len(_subscriptions) % 7, uuid.uuid4().int % 1000000007)
            _subscriptions[subscription.id] = subscription
        answer = Answer(responses(name, [success(name, "<m:SubscriptionId>%s</m:SubscriptionId>" % subscription.id)]))
        if subscription.cookie:
            answer.headers = [("Set-Cookie", subscription.cookie + "; path=/; secure; HttpOnly")]
        return answer
    if name == "Unsubscribe":
        wanted = (operation.findtext("m:SubscriptionId", "", NS) or "").strip()
        with _condition:
            subscription = _subscriptions.get(wanted)
            if subscription is None or subscription.mailbox != mailbox or not _routed(subscription, headers):
                return responses(name, [_error(name, "ErrorSubscriptionNotFound", "The subscription was not found.")])
            del _subscriptions[wanted]
            _condition.notify_all()
        return responses(name, [success(name)])
    if name == "GetStreamingEvents":
        ids = [e.text.strip() for e in operation.findall("m:SubscriptionIds/t:SubscriptionId", NS) if e.text]
        minutes = (operation.findtext("m:ConnectionTimeout", "", NS) or "").strip()
        if len(ids) != 1 or not minutes.isdigit() or not 1 <= int(minutes) <= 30:
            raise EwsError("ErrorSchemaValidation",
                           "The request failed schema validation: SubscriptionIds and ConnectionTimeout (1-30).")
        with _condition:
            routed = _routed(_subscriptions.get(ids[0]), headers)
        return Stream(mailbox, ids[0] if routed else "", int(minutes) * settings.get("stream_minute_seconds", 60),
                      settings)
    return None


def _error(operation, code, text):
    return ('<m:%sResponseMessage ResponseClass="Error"><m:MessageText>%s</m:MessageText><m:ResponseCode>%s'
            '</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:%sResponseMessage>'
            % (operation, text, code, operation))


def _streamed(message):
    return ('<m:GetStreamingEventsResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages>%s</m:ResponseMessages>'
            '</m:GetStreamingEventsResponse>' % (NS["m"], NS["t"], message))


def _status(notifications, status):
    return _streamed('<m:GetStreamingEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
                     '</m:ResponseCode>%s<m:ConnectionStatus>%s</m:ConnectionStatus>'
                     '</m:GetStreamingEventsResponseMessage>' % (notifications, status))


class Stream:
    """One GetStreamingEvents connection: serve() writes its envelopes as they come."""

    def __init__(self, mailbox, subscription_id, seconds, settings):
        self.mailbox, self.subscription_id, self.seconds, self.settings = mailbox, subscription_id, seconds, settings

    def serve(self, handler, wrap, extra=()):
        """Writes the chunked answer on `handler` (BaseHTTPRequestHandler); `wrap` makes an envelope;
        `extra` headers (a Negotiate answer) go with it."""
        handler.send_response(200)
        for name, value in extra:
            handler.send_header(name, value)
        handler.send_header("Content-Type", "text/xml; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("request-id", str(uuid.uuid4()))
        handler.end_headers()

        def chunk(body):
            data = wrap(body).encode("utf-8")
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            handler.wfile.flush()

        with _condition:
            subscription = _subscriptions.get(self.subscription_id)
            known = subscription is not None and subscription.mailbox == self.mailbox
            crowded = _open.get(self.mailbox, 0) >= self.settings.get("streaming_connection_limit", 10)
            if known and not crowded:
                _open[self.mailbox] = _open.get(self.mailbox, 0) + 1
                subscription.stream = self  # events go to the newest connection only
                _condition.notify_all()
        try:
            if not known:
                chunk(_streamed(_error("GetStreamingEvents", "ErrorSubscriptionNotFound",
                                       "The subscription was not found.")))
            elif crowded:
                chunk(_streamed(_error("GetStreamingEvents", "ErrorExceededConnectionCount",
                                       "You have exceeded the available concurrent connections for your account. "
                                       "Try again once your other requests have completed.")))
            else:
                self._stream(subscription, chunk)
            handler.wfile.write(b"0\r\n\r\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            handler.close_connection = True  # the client went away: so does this connection
        finally:
            if known and not crowded:
                with _condition:
                    _open[self.mailbox] -= 1
                    if self.settings.get("subscriptions_lapse"):
                        _subscriptions.pop(self.subscription_id, None)

    def _stream(self, subscription, chunk):
        end = datetime.datetime.now() + datetime.timedelta(seconds=self.seconds)
        while True:
            with _condition:
                left = (end - datetime.datetime.now()).total_seconds()
                if not subscription.events and left > 0 and subscription.stream is self:
                    _condition.wait(min(KEEP_ALIVE_SECONDS, left))
                # A newer connection for the subscription ends this one, and takes its events.
                gone = self.subscription_id not in _subscriptions or subscription.stream is not self
                events = []
                if not gone:
                    events, subscription.events = subscription.events, []
            left = (end - datetime.datetime.now()).total_seconds()
            print("GetStreamingEvents %s: %d events%s" % (self.subscription_id[:8], len(events),
                                                           ", closed" if left <= 0 or gone else ""), flush=True)
            if events:
                chunk(_status('<m:Notifications><m:Notification><t:SubscriptionId>%s</t:SubscriptionId>%s'
                              '</m:Notification></m:Notifications>' % (self.subscription_id, "".join(events)),
                              "OK" if left > 0 and not gone else "Closed"))
            elif left <= 0 or gone:
                chunk(_status("", "Closed"))
            else:
                chunk(_status("", "OK"))  # keep-alive
            if left <= 0 or gone:
                return
