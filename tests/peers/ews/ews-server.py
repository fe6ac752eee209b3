#!/usr/bin/env python3
"""Test peer: Exchange Web Services and POX Autodiscover, by Microsoft's published documents.

No Exchange server can run here, so this one follows the documents to the letter for what the
Email plugin uses, and refuses anything else:
  - EWS SOAP (learn.microsoft.com/exchange/client-developer/web-service-reference):
    POST /EWS/Exchange.asmx, Content-Type text/xml; the envelope in the SOAP 1.1 namespace, a
    t:RequestServerVersion header with a schema version, GetFolder (DistinguishedFolderId, msgfolderroot too) and
    FindFolder (Traversal, IndexedPageFolderView paging). Answers with h:ServerVersionInfo.
  - Authentication: NTLM (MS-NTLM's three legs on one connection, accepted by gss-ntlmssp from the
    users file in NTLM_USER_FILE, when set: CONTOSO\\alice is alice@contoso.test),
    Negotiate (RFC 4559; SPNEGO/Kerberos accepted with python3-gssapi from the
    keytab in KRB5_KTNAME, when set: the principal alice@CONTOSO.TEST is the mailbox
    alice@contoso.test; the answer carries the server's token for mutual authentication, as IIS
    sends it; POST /EWS/BasicOnly.asmx offers and takes Basic alone),
    Basic (mailboxes.json) or Bearer (RFC 6750) checked by RFC 7662
    introspection at the identity peer; 401 with WWW-Authenticate and x-ms-diagnostics as
    Exchange Online sends them. A delegated token needs scp EWS.AccessAsUser.All and acts as its
    user; an app-only token (roles full_access_as_app) needs t:ExchangeImpersonation naming the
    mailbox and an X-AnchorMailbox header that matches it ("Impersonation and EWS in Exchange").
  - Errors: ErrorNonExistentMailbox, ErrorAccessDenied (response messages),
    ErrorServerBusy as the documented SOAP fault with BackOffMilliseconds ("EWS throttling"),
    ErrorInvalidRequest/ErrorSchemaValidation faults for malformed requests.
  - Hostile behaviours, for the client's robustness (not Exchange's): "no_folder" (GetFolder
    answers Success with an empty Folders), "no_messages" (a GetFolderResponse without any
    response message).
  - Autodiscover: POST /autodiscover/autodiscover.xml, the POX request schema (2006) answered
    in the 2006a response schema: settings with EXCH/EXPR EwsUrl, or redirectAddr.

  - Streaming notifications (tests/peers/ews/ews_streaming.py): Subscribe, GetStreamingEvents (a
    chunked answer of envelopes as events come), Unsubscribe, and their limits' errors.
  - Items (tests/peers/ews/ews_items.py): FindItem, GetItem, UpdateItem, MoveItem, CopyItem,
    DeleteItem, CreateItem on mail seeded from --seed; sending (ews_sending.py): CreateItem
    SendOnly and SendAndSaveCopy, SendItem, delivered to the peer's own mailboxes.

Usage: ews-server.py --port P --cert C --key K --ca CA --authority URL --directory JSON --ready F [--seed DIR]
"""
import argparse
import os
import base64
import json
import ssl
import sys
import threading
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ews_items  # noqa: E402  (items and their operations)
import ews_sending  # noqa: E402  (CreateItem that sends, SendItem)
import ews_streaming  # noqa: E402  (Subscribe, GetStreamingEvents, Unsubscribe)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import loopback  # noqa: E402  (tests/peers/loopback.py)

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
AD_REQUEST = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
AD_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
AD_OUTLOOK = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
VERSIONS = {"Exchange2007", "Exchange2007_SP1", "Exchange2010", "Exchange2010_SP1", "Exchange2010_SP2",
            "Exchange2013", "Exchange2013_SP1", "Exchange2015", "Exchange2016", "V2015_10_05",
            "V2016_01_06", "V2016_04_13", "V2016_07_13", "V2016_10_10", "V2017_01_07",
            "V2017_04_14", "V2017_07_11", "V2017_10_09", "V2018_01_08"}

args = None
directory = None
busy_once_done = set()
lock = threading.Lock()


class SoapError(Exception):
    """A SOAP fault (HTTP 500) with an EWS error code in detail."""

    def __init__(self, code, text, back_off_ms=None):
        super().__init__(text)
        self.code, self.text, self.back_off_ms = code, text, back_off_ms


class Unauthorized(Exception):
    def __init__(self, scheme, diagnostics, log=None, token=None):
        super().__init__(diagnostics)
        self.scheme, self.diagnostics, self.token = scheme, diagnostics, token
        if log:
            print("Negotiate refused: %s" % log, flush=True)


def introspect(token):
    context = ssl.create_default_context(cafile=args.ca)
    body = urllib.parse.urlencode({"token": token}).encode()
    request = urllib.request.Request(args.authority + "/introspect", data=body, method="POST")
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.load(response)


def resource():
    return "https://localhost:%d" % args.port


NEGOTIATE = bool(os.environ.get("KRB5_KTNAME"))
NTLM = bool(os.environ.get("NTLM_USER_FILE"))  # gss-ntlmssp's acceptor reads DOMAIN:user:password lines
NTLM_OID = "1.3.6.1.4.1.311.2.2.10"


def windows_mailbox(name):
    """DOMAIN\\user (NTLM) or user@REALM (Kerberos): the test domain's mailbox user@contoso.test."""
    user = name.strip("\x00 ").split("\\")[-1].split("@")[0].lower()  # gss-ntlmssp's name ends in NUL
    return user + "@contoso.test"


def accept_negotiate(credentials, reply_headers):
    """A Kerberos (SPNEGO) token: the mailbox of its principal; the server's answer token goes in
    reply_headers (mutual authentication)."""
    import gssapi  # python3-gssapi; only when Negotiate is on
    answer = None
    try:
        context = gssapi.SecurityContext(usage="accept")
        answer = context.step(base64.b64decode(credentials, validate=True))
        complete, initiator = context.complete, str(context.initiator_name) if context.complete else ""
    except gssapi.exceptions.GSSError as error:
        # The acceptor's error token (a KRB-ERROR: clock skew, ticket not yet valid, ...) goes back
        # in the 401, as GSSAPI-based servers (mod_auth_gssapi) send it. python-gssapi hands it out
        # as step()'s result and raises on the next use of the context.
        raise Unauthorized("Negotiate", None, str(error), getattr(error, "token", None) or answer)
    except ValueError as error:
        raise Unauthorized("Negotiate", None, str(error))
    if not complete:  # one leg is all Kerberos needs; NTLM is not offered here
        raise Unauthorized("Negotiate", None, "more legs asked")
    if answer:
        reply_headers.append(("WWW-Authenticate", "Negotiate " + base64.b64encode(answer).decode()))
    return ("user", windows_mailbox(initiator))


def authenticate(headers, reply_headers=None, negotiate=True):
    """Returns ("user", smtp) or ("app", client_id); raises Unauthorized."""
    value = headers.get("Authorization", "")
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() == "negotiate" and negotiate and NEGOTIATE:
        return accept_negotiate(credentials, reply_headers if reply_headers is not None else [])
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise Unauthorized("Basic", None)
        user = directory.get("aliases", {}).get(user.lower(), user.lower())  # a proxy address
        mailbox = directory["mailboxes"].get(user)
        if not mailbox or mailbox.get("password") != password:
            raise Unauthorized("Basic", None)
        return ("user", user)
    if scheme.lower() == "bearer":
        claims = introspect(credentials)
        if not claims.get("active"):
            raise Unauthorized("Bearer", '2000001;reason="The token has expired or is invalid.";'
                                         'error_category="invalid_token"')
        if claims.get("aud") != resource():
            raise Unauthorized("Bearer", '2000003;reason="The audience claim value is invalid \'%s\'.";'
                                         'error_category="invalid_resource"' % claims.get("aud"))
        if "full_access_as_app" in (claims.get("roles") or []):
            return ("app", claims.get("client_id"))
        if claims.get("idtyp") == "app":  # app-only, without the application permission
            raise Unauthorized("Bearer", '2000008;reason="The token does not have the permission '
                                         'required to access the resource.";error_category="invalid_grant"')
        if "EWS.AccessAsUser.All" not in (claims.get("scp") or "").split():
            raise Unauthorized("Bearer", '2000008;reason="The token does not have the permission '
                                         'required to access the resource.";error_category="invalid_grant"')
        return ("user", claims["username"].lower())
    raise Unauthorized("Basic", None)


def server_version_header():
    attributes = " ".join('%s="%s"' % item for item in directory["server_version"].items())
    return ('<s:Header><h:ServerVersionInfo %s xmlns:h="%s" xmlns="%s" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema"/></s:Header>' % (attributes, T, T))


def envelope(body, header=True):
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s">%s<s:Body '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">%s</s:Body></s:Envelope>'
            % (SOAP, server_version_header() if header else "", body))


def fault(error):
    back_off = ""
    if error.back_off_ms is not None:
        back_off = ('<t:MessageXml xmlns:t="%s"><t:Value Name="BackOffMilliseconds">%d</t:Value>'
                    '</t:MessageXml>' % (T, error.back_off_ms))
    return envelope('<s:Fault><faultcode xmlns:a="%s">a:%s</faultcode><faultstring xml:lang="en-US">%s'
                    '</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/'
                    'services/2006/errors">%s</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.'
                    'com/exchange/services/2006/errors">%s</e:Message>%s</detail></s:Fault>'
                    % (T, error.code, escape(error.text), error.code, escape(error.text), back_off),
                    header=False)


def error_message(operation, code, text):
    return ('<m:%sResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages><m:%sResponseMessage '
            'ResponseClass="Error"><m:MessageText>%s</m:MessageText><m:ResponseCode>%s</m:ResponseCode>'
            '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:%sResponseMessage></m:ResponseMessages>'
            '</m:%sResponse>' % (operation, M, T, operation, escape(text), code, operation, operation))


def folder_id(mailbox, name):
    return base64.b64encode(("%s/%s" % (mailbox, name)).encode()).decode()


def folder_xml(mailbox, folder):
    name, parent, folder_class = folder
    parent_id = folder_id(mailbox, parent or "msgfolderroot")
    return ('<t:Folder><t:FolderId Id="%s" ChangeKey="AQAAABYAAAA="/><t:ParentFolderId Id="%s" '
            'ChangeKey="AQAAAA=="/><t:FolderClass>%s</t:FolderClass><t:DisplayName>%s</t:DisplayName>'
            '<t:TotalCount>0</t:TotalCount><t:ChildFolderCount>%d</t:ChildFolderCount>'
            '<t:UnreadCount>0</t:UnreadCount></t:Folder>'
            % (folder_id(mailbox, name), parent_id, folder_class, escape(name),
               sum(1 for f in directory["mailboxes"][mailbox]["folders"] if f[1] == name)))


def root_folder_xml(mailbox):
    """msgfolderroot ("Top of Information Store"): the parent of the top-level folders; its own parent
    is the mailbox's root folder."""
    return ('<t:Folder><t:FolderId Id="%s" ChangeKey="AQAAABYAAAA="/><t:ParentFolderId Id="%s" '
            'ChangeKey="AQAAAA=="/><t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>Top of Information Store'
            '</t:DisplayName><t:TotalCount>0</t:TotalCount><t:ChildFolderCount>%d</t:ChildFolderCount>'
            '<t:UnreadCount>0</t:UnreadCount></t:Folder>'
            % (folder_id(mailbox, "msgfolderroot"), folder_id(mailbox, "root"),
               sum(1 for f in directory["mailboxes"][mailbox]["folders"] if f[1] is None)))


def require(element, path, what):
    found = element.find(path, {"soap": SOAP, "t": T, "m": M})
    if found is None:
        raise SoapError("ErrorSchemaValidation", "The request failed schema validation: %s is missing." % what)
    return found


def handle_ews(principal, headers, root):
    if root.tag != "{%s}Envelope" % SOAP:
        raise SoapError("ErrorSchemaValidation", "The request failed schema validation: the root is not a SOAP 1.1 Envelope.")
    header = require(root, "soap:Header", "soap:Header")
    version = require(header, "t:RequestServerVersion", "t:RequestServerVersion").get("Version")
    if version not in VERSIONS:
        raise SoapError("ErrorInvalidServerVersion", "The specified server version is invalid.")
    impersonated = header.find("t:ExchangeImpersonation/t:ConnectingSID/t:SmtpAddress", {"t": T})
    kind, who = principal
    if kind == "app":
        if impersonated is None:
            raise SoapError("ErrorImpersonateUserDenied", "An app-only token must impersonate a mailbox (ExchangeImpersonation).")
        mailbox = impersonated.text.strip().lower()
        if headers.get("X-AnchorMailbox", "").lower() != mailbox:
            raise SoapError("ErrorInvalidRequest", "The X-AnchorMailbox header must name the impersonated mailbox.")
    else:
        mailbox = who
        if impersonated is not None and impersonated.text.strip().lower() != who:
            raise SoapError("ErrorImpersonateUserDenied", "The account does not have permission to impersonate the requested user.")
    body = require(root, "soap:Body", "soap:Body")
    if len(body) != 1:
        raise SoapError("ErrorInvalidRequest", "The request is invalid: one operation per Body.")
    operation = body[0]
    if kind == "user":
        # Delegate access: distinguished folder ids name the other mailbox in t:Mailbox, and
        # X-AnchorMailbox routes every request there; the owner must have granted the user access.
        named = [address.text.strip().lower() for folder in root.iter("{%s}DistinguishedFolderId" % T)
                 for address in folder.findall("t:Mailbox/t:EmailAddress", {"t": T}) if address.text]
        anchor = headers.get("X-AnchorMailbox", "").lower()
        anchor = directory.get("aliases", {}).get(anchor, anchor)  # a proxy address routes to its mailbox
        named = [directory.get("aliases", {}).get(address, address) for address in named]
        target = named[0] if named else (anchor or who)
        if target != who:
            if who not in directory["mailboxes"].get(target, {}).get("delegates", []):
                return error_message(operation.tag.split("}")[1], "ErrorAccessDenied",
                                     "Access is denied. Check credentials and try again.")
            mailbox = target
    if mailbox not in directory["mailboxes"]:
        name = operation.tag.split("}")[1]
        return error_message(name, "ErrorNonExistentMailbox",
                             "The SMTP address has no mailbox associated with it.")
    behaviour = directory["mailboxes"][mailbox].get("behaviour")
    with lock:  # busy_once: every other request is refused, starting with the first
        busy = behaviour == "busy_always" or (behaviour == "busy_once" and mailbox not in busy_once_done)
        if behaviour == "busy_once":
            busy_once_done.symmetric_difference_update({mailbox})
    if busy:
        raise SoapError("ErrorServerBusy", "The server cannot service this request right now. Try again later.",
                        back_off_ms=300)
    if behaviour == "soap_fault":
        raise SoapError("ErrorInternalServerError", "An internal server error occurred. The operation failed.")
    if operation.tag == "{%s}GetFolder" % M:
        require(operation, "m:FolderShape/t:BaseShape", "m:FolderShape/t:BaseShape")
        ids = require(operation, "m:FolderIds", "m:FolderIds")
        if behaviour == "access_denied":
            return error_message("GetFolder", "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        if behaviour == "no_folder":  # hostile: Success, and no folder in it
            return ('<m:GetFolderResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages><m:GetFolderResponseMessage '
                    'ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders/>'
                    '</m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse>' % (M, T))
        if behaviour == "no_messages":  # hostile: a GetFolderResponse with no response message
            return ('<m:GetFolderResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages/></m:GetFolderResponse>'
                    % (M, T))
        messages = []
        for distinguished in ids.findall("t:DistinguishedFolderId", {"t": T}):
            if distinguished.get("Id") == "msgfolderroot":  # the root of the folder list FindFolder gives
                messages.append('<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
                                '</m:ResponseCode><m:Folders>%s</m:Folders></m:GetFolderResponseMessage>'
                                % root_folder_xml(mailbox))
                continue
            wanted = ews_items.DISTINGUISHED.get(distinguished.get("Id"))
            folder = next((f for f in directory["mailboxes"][mailbox]["folders"] if f[0] == wanted), None)
            if folder is None:
                messages.append('<m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>The specified '
                                'folder could not be found in the store.</m:MessageText><m:ResponseCode>'
                                'ErrorFolderNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>'
                                '</m:GetFolderResponseMessage>')
                continue
            messages.append('<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
                            '</m:ResponseCode><m:Folders>%s</m:Folders></m:GetFolderResponseMessage>'
                            % folder_xml(mailbox, folder))
        if not messages:
            raise SoapError("ErrorSchemaValidation", "The request failed schema validation: no folder id.")
        return ('<m:GetFolderResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages>%s</m:ResponseMessages>'
                '</m:GetFolderResponse>' % (M, T, "".join(messages)))
    if operation.tag == "{%s}FindFolder" % M:
        if operation.get("Traversal") not in ("Shallow", "Deep", "SoftDeleted"):
            raise SoapError("ErrorSchemaValidation", "The request failed schema validation: Traversal is required.")
        require(operation, "m:FolderShape/t:BaseShape", "m:FolderShape/t:BaseShape")
        parent = require(operation, "m:ParentFolderIds/t:DistinguishedFolderId", "m:ParentFolderIds").get("Id")
        if parent != "msgfolderroot":
            raise SoapError("ErrorInvalidRequest", "This test server lists from msgfolderroot only.")
        folders = directory["mailboxes"][mailbox]["folders"]
        if operation.get("Traversal") == "Shallow":
            folders = [f for f in folders if f[1] is None]
        view = operation.find("m:IndexedPageFolderView", {"m": M})
        offset, limit = 0, len(folders)
        if view is not None:
            offset = int(view.get("Offset", "0"))
            limit = int(view.get("MaxEntriesReturned", str(len(folders))))
        page = folders[offset:offset + limit]
        last = offset + len(page) >= len(folders)
        return ('<m:FindFolderResponse xmlns:m="%s" xmlns:t="%s"><m:ResponseMessages>'
                '<m:FindFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>'
                '<m:RootFolder IndexedPagingOffset="%d" TotalItemsInView="%d" IncludesLastItemInRange="%s">'
                '<t:Folders>%s</t:Folders></m:RootFolder></m:FindFolderResponseMessage></m:ResponseMessages>'
                '</m:FindFolderResponse>'
                % (M, T, offset + len(page), len(folders), "true" if last else "false",
                   "".join(folder_xml(mailbox, f) for f in page)))
    try:
        answer = ews_sending.handle(principal, mailbox, operation, directory["mailboxes"], folder_id)
        if answer is None:
            answer = ews_streaming.handle(mailbox, operation, directory["mailboxes"][mailbox]["folders"], folder_id,
                                          directory["mailboxes"][mailbox], headers)
        if answer is None:
            answer = ews_items.handle(mailbox, operation, directory["mailboxes"][mailbox]["folders"], folder_id)
    except ews_items.EwsError as error:
        raise SoapError(error.code, error.text)
    if answer is not None:
        return answer
    raise SoapError("ErrorInvalidRequest", "The request is invalid: %s is not served by this test server."
                    % operation.tag)


def handle_autodiscover(principal, root, query):
    email = root.findtext("{%s}Request/{%s}EMailAddress" % (AD_REQUEST, AD_REQUEST))
    schema = root.findtext("{%s}Request/{%s}AcceptableResponseSchema" % (AD_REQUEST, AD_REQUEST))
    if not email or schema != AD_OUTLOOK:
        return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Response><Error Time="00:00:00" '
                'Id="1"><ErrorCode>600</ErrorCode><Message>Invalid Request</Message><DebugData/></Error>'
                '</Response></Autodiscover>' % AD_RESPONSE)
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if domain == "redirect.test":  # a hosted domain: Exchange answers with the mailbox's real address
        account = ('<Account><Action>redirectAddr</Action><RedirectAddr>%s@contoso.test</RedirectAddr></Account>'
                   % escape(local))
    elif domain == "loop.test":  # a misconfigured domain that sends clients round in circles
        account = ('<Account><Action>redirectAddr</Action><RedirectAddr>%s@loop.test</RedirectAddr></Account>'
                   % escape(local))
    elif domain == "redirecturl.test" and "hop=1" not in query:  # another Autodiscover server
        account = ('<Account><Action>redirectUrl</Action><RedirectUrl>https://localhost:%d/autodiscover/'
                   'autodiscover.xml?hop=1</RedirectUrl></Account>' % args.port)
    else:
        url = "https://localhost:%d/EWS/Exchange.asmx" % args.port
        account = ('<Account><AccountType>email</AccountType><Action>settings</Action>'
                   '<Protocol><Type>EXCH</Type><EwsUrl>%s</EwsUrl></Protocol>'
                   '<Protocol><Type>EXPR</Type><EwsUrl>%s</EwsUrl></Protocol></Account>' % (url, url))
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Response xmlns="%s"><User>'
            '<DisplayName>%s</DisplayName><AutoDiscoverSMTPAddress>%s</AutoDiscoverSMTPAddress></User>%s'
            '</Response></Autodiscover>' % (AD_RESPONSE, AD_OUTLOOK, escape(local), escape(email), account))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""

    def log_message(self, format, *log_args):  # never the Authorization header
        sys.stdout.write("%s %s\n" % (self.address_string(), format % log_args))
        sys.stdout.flush()

    def send(self, status, body, content_type="text/xml; charset=utf-8", extra=()):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("request-id", str(uuid.uuid4()))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.send(405, "", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        payload = self.rfile.read(length)
        path = self.path.split("?")[0].lower()
        if path == "/ews/moved.asmx":  # a mailbox moved to another endpoint: HTTP 302, as IIS answers
            return self.send(302, "", "text/html", [("Location", "https://localhost:%d/EWS/Exchange.asmx" % args.port)])
        basic_only = path == "/ews/basiconly.asmx"  # a virtual directory with Windows sign-in off
        # A virtual directory with authPersistSingleRequest: an NTLM sign-in lasts one request.
        single_request = path == "/ews/singlerequest.asmx"
        # A virtual directory whose Windows Authentication lists the NTLM provider alone.
        ntlm_only = path == "/ews/ntlmonly.asmx"
        if basic_only or single_request or ntlm_only:
            path = "/ews/exchange.asmx"
        if path not in ("/ews/exchange.asmx", "/autodiscover/autodiscover.xml"):
            return self.send(404, "", "text/plain")
        if not self.headers.get("Content-Type", "").lower().startswith("text/xml"):
            return self.send(415, "", "text/plain")
        reply_headers = []
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme == "NTLM" and NTLM and not basic_only:
            # NTLM's three legs on this connection: the context lives with the connection's handler.
            import gssapi
            try:
                if getattr(self, "ntlm_context", None) is None:
                    creds = gssapi.Credentials(usage="accept", mechs=[gssapi.OID.from_int_seq(NTLM_OID)])
                    self.ntlm_context = gssapi.SecurityContext(creds=creds, usage="accept")
                challenge = self.ntlm_context.step(base64.b64decode(token, validate=True))
            except (gssapi.exceptions.GSSError, ValueError) as error:
                print("NTLM refused: %s" % error, flush=True)
                self.ntlm_context = None
                return self.send(401, "", "text/plain", [("WWW-Authenticate", "NTLM"),
                                                          ("WWW-Authenticate", 'Basic realm="localhost"')])
            if not self.ntlm_context.complete:
                print("NTLM: challenge (connection %s)" % self.client_address[1], flush=True)
                return self.send(401, "", "text/plain",
                                 [("WWW-Authenticate", "NTLM " + base64.b64encode(challenge).decode())])
            user = windows_mailbox(str(self.ntlm_context.initiator_name))
            print("NTLM: %s signed in (connection %s)" % (self.ntlm_context.initiator_name, self.client_address[1]), flush=True)
            self.ntlm_context = None
            # IIS keeps an NTLM sign-in for the rest of the connection (authPersistSingleRequest
            # is false by default): later requests on it need no Authorization.
            self.ntlm_user = None if single_request else user
        try:
            if scheme == "NTLM" and NTLM and not basic_only:
                principal = ("user", user)
            elif not scheme and getattr(self, "ntlm_user", None) and not basic_only:
                print("NTLM: connection %s is signed in" % self.client_address[1], flush=True)
                principal = ("user", self.ntlm_user)
            else:
                principal = authenticate(self.headers, reply_headers, negotiate=not (basic_only or ntlm_only))
        except Unauthorized as refused:
            extra = [("WWW-Authenticate", 'Basic realm="localhost"')]
            if NTLM and not basic_only:
                extra.insert(0, ("WWW-Authenticate", "NTLM"))
            if NEGOTIATE and not (basic_only or ntlm_only) and refused.scheme in ("Basic", "Negotiate"):
                offer = "Negotiate " + base64.b64encode(refused.token).decode() if refused.token else "Negotiate"
                extra.insert(0, ("WWW-Authenticate", offer))  # IIS lists Negotiate first
            if refused.scheme == "Bearer":
                extra = [("WWW-Authenticate", 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", '
                          'authorization_uri="%s/common/oauth2/authorize", error="invalid_token"' % args.authority)]
            if refused.diagnostics:
                extra.append(("x-ms-diagnostics", refused.diagnostics))
            return self.send(401, "", "text/plain", extra)
        try:
            root = ET.fromstring(payload)
        except ET.ParseError as error:
            return self.send(500, fault(SoapError("ErrorSchemaValidation", "The request is not XML: %s" % error)))
        if path.startswith("/autodiscover"):
            return self.send(200, handle_autodiscover(principal, root, self.path.partition("?")[2]))
        # EWS turned off for the signed-in mailbox (Set-CASMailbox -EwsEnabled $false, or Exchange
        # Online's retirement block): IIS answers 403 before any SOAP processing.
        if principal[0] == "user" and directory["mailboxes"].get(principal[1], {}).get("behaviour") == "ews_disabled":
            return self.send(403, "", "text/html")
        try:
            answer = handle_ews(principal, self.headers, root)
            if isinstance(answer, ews_streaming.Stream):  # GetStreamingEvents: envelopes as events come
                return answer.serve(self, envelope, reply_headers)
            self.send(200, envelope(answer), extra=reply_headers + list(getattr(answer, "headers", ())))
        except SoapError as error:
            self.send(500, fault(error))


def main():
    global args, directory
    parser = argparse.ArgumentParser()
    for option in ("port", "cert", "key", "ca", "authority", "directory", "ready"):
        parser.add_argument("--" + option, required=True)
    parser.add_argument("--seed", help="a folder of .eml files for the Inbox of the mailboxes marked 'seeded'")
    parser.add_argument("--seed-bulk", help="a maildir cur/ folder for their 'Bulk' folder")
    args = parser.parse_args()
    args.port = int(args.port)
    with open(args.directory, encoding="utf-8") as file:
        directory = json.load(file)
    if args.seed:
        for address, mailbox in directory["mailboxes"].items():
            if mailbox.get("seeded"):
                ews_items.seed(address, "Inbox", args.seed)
                if args.seed_bulk:
                    ews_items.seed(address, "Bulk", args.seed_bulk, every_file=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    server = loopback.serve(args.port, Handler, context)  # 127.0.0.1, and ::1 where there is one
    with open(args.ready, "w") as ready:
        ready.write("%d\n" % args.port)
    print("EWS peer listening on https://localhost:%d/EWS/Exchange.asmx" % args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
