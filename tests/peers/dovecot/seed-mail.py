#!/usr/bin/env python3
"""Writes the test mail the mailbox tests read (issue: a mailbox interface for sibling actions).

    seed-mail.py OUT_DIR

OUT_DIR/inbox/NN.eml: messages for dave's INBOX, in order (the peer stores them with doveadm save,
so their UIDs follow this order); OUT_DIR/inbox/NN.flags: the flags to set on each;
OUT_DIR/bulk/: 1,000 small messages as maildir files for dave's "Bulk" folder.

Every message is built with Python's email package so its MIME is what real clients send:
  01 multipart/mixed, a text body, report.pdf (base64) and notes.txt (quoted-printable), seen
  02 Japanese: subject and sender in RFC 2047 ISO-2022-JP, an ISO-2022-JP body, 見積書.pdf named by
     RFC 2231 (UTF-8) and 請求書.xlsx named by RFC 2047 (UTF-8, as Outlook does), flagged
  03 HTML only (quoted-printable UTF-8)
  04 a forwarded message (message/rfc822) with a text body
  05 big.bin: a 5 MB attachment (base64)
The bytes are deterministic, so the tests know each attachment's exact content.
"""
import email.charset
import email.policy
import os
import random
import sys
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.application import MIMEApplication
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

POLICY = email.policy.SMTP  # CRLF line ends


def pdf_bytes():
    return b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def big_bytes():
    return random.Random(5).randbytes(5 * 1024 * 1024)


def quarterly():
    m = EmailMessage(policy=POLICY)
    m["From"] = formataddr(("Alice Example", "alice@example.com"))
    m["To"] = "dave@example.com"
    m["Cc"] = formataddr(("Bob", "bob@example.com"))
    m["Subject"] = "Quarterly report"
    m["Date"] = "Mon, 02 Nov 2026 09:00:00 +0000"
    m["Message-ID"] = "<quarterly@example.com>"
    m.set_content("Please find the report attached.\n")
    m.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="report.pdf")
    m.add_attachment("Total: 100 \u20ac\n", subtype="plain", cte="quoted-printable", filename="notes.txt",
                     disposition="attachment")
    return m


def japanese():
    m = MIMEMultipart("mixed")
    m["From"] = Header("山田太郎", "iso-2022-jp").encode() + " <yamada@example.co.jp>"
    m["To"] = "dave@example.com"
    m["Subject"] = Header("見積書のご送付", "iso-2022-jp").encode()
    m["Date"] = "Thu, 05 Nov 2026 10:30:00 +0900"
    m["Message-ID"] = "<mitsumori@example.co.jp>"
    m.attach(MIMEText("お世話になっております。見積書を添付いたします。\n", "plain", "iso-2022-jp"))
    quote = MIMEApplication(pdf_bytes(), "pdf")
    quote.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "見積書.pdf"))
    m.attach(quote)
    invoice = MIMEApplication(b"PK\x03\x04 invoice", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    encoded = Header("請求書.xlsx", "utf-8").encode()
    invoice.set_param("name", encoded)
    invoice.add_header("Content-Disposition", "attachment")
    invoice.set_param("filename", encoded, header="Content-Disposition")
    m.attach(invoice)
    return m


def html_only():
    charset = email.charset.Charset("utf-8")
    charset.body_encoding = email.charset.QP
    m = MIMEText("<html><body><p>Caf\u00e9 news: <b>December</b></p></body></html>\n", "html", charset)
    m["From"] = "news@example.com"
    m["To"] = "dave@example.com"
    m["Subject"] = "Newsletter: December"
    m["Date"] = "Tue, 10 Nov 2026 08:00:00 +0000"
    return m


def forwarded():
    inner = EmailMessage(policy=POLICY)
    inner["From"] = "carol@example.com"
    inner["To"] = "alice@example.com"
    inner["Subject"] = "Meeting notes"
    inner["Date"] = "Fri, 13 Nov 2026 16:00:00 +0000"
    inner.set_content("Notes from the meeting.\n")
    m = MIMEMultipart("mixed")
    m["From"] = formataddr(("Alice Example", "alice@example.com"))
    m["To"] = "dave@example.com"
    m["Subject"] = "Fwd: Meeting notes"
    m["Date"] = "Sun, 15 Nov 2026 12:00:00 +0000"
    m.attach(MIMEText("See the forwarded message.\n", "plain", "utf-8"))
    m.attach(MIMEMessage(inner))
    return m


def big():
    m = EmailMessage(policy=POLICY)
    m["From"] = "alice@example.com"
    m["To"] = "dave@example.com"
    m["Subject"] = "Large attachment"
    m["Date"] = "Fri, 20 Nov 2026 07:00:00 +0000"
    m.set_content("A large file.\n")
    m.add_attachment(big_bytes(), maintype="application", subtype="octet-stream", filename="big.bin")
    return m


def as_bytes(message):
    if isinstance(message, EmailMessage):
        return message.as_bytes(policy=POLICY)
    return message.as_bytes(policy=email.policy.compat32.clone(linesep="\r\n"))


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "inbox"), exist_ok=True)
    messages = [(quarterly(), "\\Seen"), (japanese(), "\\Flagged"), (html_only(), ""), (forwarded(), ""),
                (big(), "")]
    for number, (message, flags) in enumerate(messages, 1):
        with open(os.path.join(out, "inbox", "%02d.eml" % number), "wb") as f:
            f.write(as_bytes(message))
        with open(os.path.join(out, "inbox", "%02d.flags" % number), "w") as f:
            f.write(flags)
    bulk = os.path.join(out, "bulk")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(bulk, sub), exist_ok=True)
    for number in range(1, 1001):
        m = EmailMessage(policy=POLICY)
        m["From"] = formataddr(("Sender %d" % (number % 7), "sender%d@example.com" % (number % 7)))
        m["To"] = "dave@example.com"
        m["Subject"] = "Bulk message %04d" % number
        m["Date"] = "Sun, 01 Nov 2026 %02d:%02d:00 +0000" % (number // 60 % 24, number % 60)
        m["Message-ID"] = "<bulk-%04d@example.com>" % number
        m.set_content("Message number %d.\n" % number)
        name = "1700000000.M%04dP1.seed:2," % number
        with open(os.path.join(bulk, "cur", name), "wb") as f:
            f.write(as_bytes(m))


if __name__ == "__main__":
    main()
