#!/usr/bin/env python3
"""The SMTP peer works end to end (tests/peers/smtp/smtp-peer.sh): Python's smtplib signs in to
Dovecot's submission service (STARTTLS, and implicit TLS), which relays through Postfix into the
test Dovecot over LMTP; imaplib then finds the message in the recipient's INBOX, its attachment
byte for byte. A wrong password is refused. The product's SMTP tests (issue 26) build on this peer.

    check_smtp_peer.py PEER_ENV_FILE
Exit status 0 when every check passed; 77 (skipped) when the peer could not run here (not root).
"""
import email
import email.policy
import imaplib
import os
import smtplib
import ssl
import sys
import time
import uuid
from email.message import EmailMessage


def read_state(path):
    state = {}
    for line in open(path, encoding="utf-8"):
        if "=" in line:
            key, value = line.rstrip("\n").split("=", 1)
            state[key] = value.strip('"')
    return state


def main():
    state = read_state(sys.argv[1])
    if state.get("PEER_SMTP") != "available":
        print("skipped: the SMTP peer needs root for Postfix's master (smtp-peer.sh)")
        return 77
    context = ssl.create_default_context(cafile=state["PEER_CA_FILE"])
    password = open(state["PEER_GRACE_PASSWORD_FILE"], encoding="utf-8").read()
    failures = []

    def check(ok, what):
        print(("ok      " if ok else "FAILED  ") + what)
        if not ok:
            failures.append(what)
        return ok

    payload = bytes(range(256)) * 64
    subjects = []
    for name, connect in (
            ("STARTTLS", lambda: smtplib.SMTP("localhost", int(state["PEER_SUBMISSION_PORT"]), timeout=30)),
            ("implicit TLS", lambda: smtplib.SMTP_SSL("localhost", int(state["PEER_SUBMISSIONS_PORT"]),
                                                      context=context, timeout=30))):
        message = EmailMessage()
        message["From"] = "grace@example.com"
        message["To"] = "grace@example.com"
        subject = f"peer check {name} {uuid.uuid4()}"
        message["Subject"] = subject
        message.set_content("The SMTP peer delivers.\n")
        message.add_attachment(payload, maintype="application", subtype="octet-stream", filename="bytes.bin")
        with connect() as client:
            if name == "STARTTLS":
                client.starttls(context=context)
            client.login("grace", password)
            refused = client.send_message(message)
            check(refused == {}, f"submission over {name} accepts the message")
        subjects.append(subject)

    with smtplib.SMTP("localhost", int(state["PEER_SUBMISSION_PORT"]), timeout=30) as client:
        client.starttls(context=context)
        try:
            client.login("grace", "not the password")
            check(False, "a wrong password is refused")
        except smtplib.SMTPAuthenticationError as error:
            check(error.smtp_code == 535, f"a wrong password is refused ({error.smtp_code})")

    imap = imaplib.IMAP4_SSL("localhost", int(state["PEER_IMAPS_PORT"]), ssl_context=context)
    imap.login("grace", password)
    for subject in subjects:
        found = []
        deadline = time.monotonic() + 30
        while not found and time.monotonic() < deadline:
            imap.select("INBOX")
            _, data = imap.search(None, "SUBJECT", f'"{subject}"')
            found = data[0].split()
            if not found:
                time.sleep(0.2)
        if check(len(found) == 1, f"delivered through Postfix and LMTP into the INBOX: {subject}"):
            _, fetched = imap.fetch(found[0], "(RFC822)")
            arrived = email.message_from_bytes(fetched[0][1], policy=email.policy.default)
            parts = list(arrived.iter_attachments())
            check(len(parts) == 1 and parts[0].get_payload(decode=True) == payload,
                  "the attachment arrived byte for byte")
    imap.logout()
    print(f"{len(failures)} failed" if failures else "every SMTP peer check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
