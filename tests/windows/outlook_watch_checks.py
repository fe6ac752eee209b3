"""Waiting for new mail on an outlook session under Wine (issue 27): the test sibling's Wait goes
through Outlook's object model to the stand-in (tests/peers/outlook/standin_events.cpp), which
offers Items.ItemAdd through IConnectionPointContainer and, with RPA_OUTLOOK_STANDIN_DELIVER,
delivers a message into the advised folder a few seconds after the wait listens, as new mail
arrives in Outlook. The checks: mail delivered during a wait is returned long before the poll
interval (told by ItemAdd, not polled); messages stored before a wait with an older cursor are
returned once each; a cursor that is not Outlook's is refused; a folder whose Items offer no events
is polled, with a warning that says so.
"""
import os

from wine_checks import check, windows_path

INVOICE = ("From: Billing <billing@supplier.test>\r\nTo: Alice <alice@contoso.test>\r\n"
           "Subject: Invoice 2026-12 watch-check\r\nDate: Sun, 06 Dec 2026 09:00:00 +0900\r\n"
           "Message-ID: <invoice-watch@supplier.test>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n請求書を送付します。\r\n")


def subjects(step):
    return [m["subject"] for m in step.get("result", {}).get("messages", [])] if step.get("status") == "ok" else None


def check_watching(run_bot, connect, failed_with, top):
    delivered = os.path.join(top, "delivered.eml")
    with open(delivered, "wb") as file:
        file.write(INVOICE.encode("utf-8"))
    notes = [os.path.join(top, f"note-{n}.eml") for n in (1, 2)]
    for number, path in enumerate(notes, 1):
        with open(path, "wb") as file:
            file.write(f"From: bob@example.com\r\nTo: alice@contoso.test\r\nSubject: Note {number} watch-check\r\n"
                       f"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnote {number}\r\n".encode())

    def wait(**properties):
        return {"action": "Sibling.Wait", "properties": dict(session_name="outlook", folder="inbox", **properties)}

    # Told: the stand-in delivers 4 s after the wait asks for events; the wait polls only every 100 s.
    first, _ = run_bot("watch-cursor", [connect(), wait(cursor="", timeout_seconds=1)])
    cursor = first[1]["result"]["cursor"] if len(first) == 2 and first[1]["status"] == "ok" else ""
    check(cursor.startswith("outlook1:"), f"a wait from now gives an Outlook cursor: {cursor!r}")
    results, elapsed = run_bot("watch-told", [
        connect(),
        wait(cursor=cursor, timeout_seconds=110, poll_seconds=100),      # 1 told by ItemAdd
        wait(cursor="", timeout_seconds=1),                              # 2 a session's second wait
    ], RPA_OUTLOOK_STANDIN_DELIVER="4|" + windows_path(delivered))
    if check(len(results) == 3, f"the told bot ran its three steps ({len(results)})"):
        check(results[1]["status"] == "ok" and subjects(results[1]) == ["Invoice 2026-12 watch-check"],
              f"the delivered message is returned: {subjects(results[1])} {results[1].get('message')}")
        check(elapsed < 80, f"told by ItemAdd, not polled every 100 s: the bot took {elapsed:.1f} s")
        message = (results[1].get("result", {}).get("messages") or [{}])[0]
        check(message.get("ref", "").startswith("outlook:")
              and (message.get("from") or {}).get("address") == "billing@supplier.test",
              f"the summary names the sender and the reference: {message}")
        after = results[1].get("result", {}).get("cursor", "")
        check(after.startswith("outlook1:") and "invoice" not in after.lower(),
              f"the cursor after it, without the EntryID: {after!r}")

    # Caught up: two messages stored before the wait, with the older cursor: both, once each.
    append = [{"action": "Sibling.Append", "properties": {"session_name": "outlook", "folder": "inbox",
                                                          "file": windows_path(path)}} for path in notes]
    # Every bot starts the stand-in afresh from the same store, so the first bot's cursor of now
    # stands for each of them.
    results, _ = run_bot("watch-catch-up", [
        connect(), *append,
        wait(cursor=cursor, timeout_seconds=5),                       # 3 both
        wait(cursor=cursor, timeout_seconds=5, subject_contains="Note 2"),  # 4 the filter
        wait(cursor="imap1:5:7", timeout_seconds=1),                  # 5 another backend's cursor
    ])
    if check(len(results) == 6, f"the catch-up bot ran its six steps ({len(results)})"):
        both = subjects(results[3])
        check(both == ["Note 1 watch-check", "Note 2 watch-check"],
              f"two messages stored before the wait, oldest first, once each: {both} {results[3].get('message')}")
        check(subjects(results[4]) == ["Note 2 watch-check"], f"the wait's filter: {subjects(results[4])}")
        failed_with("a cursor that is not Outlook's", results[5], "invalid_properties", "cursor", "outlook1:")

    # No events: a folder whose Items offer no ItemsEvents is polled (every 2 s here), with a warning.
    results, _ = run_bot("watch-polled", [connect(), wait(cursor=cursor, timeout_seconds=60, poll_seconds=2)],
                         RPA_OUTLOOK_STANDIN_MODE="no-events",
                         RPA_OUTLOOK_STANDIN_DELIVER="0|" + windows_path(delivered))
    if check(len(results) == 2, f"the polled bot ran its two steps ({len(results)})"):
        check(subjects(results[1]) == ["Invoice 2026-12 watch-check"],
              f"without events the wait still finds new mail by polling: {subjects(results[1])} "
              f"{results[1].get('message')}")
        said = open(os.path.join(top, "watch-polled.err"), "rb").read().decode("utf-8", errors="replace")
        check(said.count("does not tell of new items") == 1 and "every 2 s" in said and "poll_seconds" in said,
              "one warning says the folder is polled and how often")
