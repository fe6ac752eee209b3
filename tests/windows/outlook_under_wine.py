#!/usr/bin/env python3
"""Connect "outlook" under Wine against the stand-in Outlook COM server (issue 25).

There is no Outlook here: tests/peers/outlook/ builds outlook-standin.exe, which register.sh
registers in a Wine prefix of this check's own under Outlook's ProgID and CLSID. COM starts it
(-Embedding) with the environment of the first client, so each case sets the stand-in's store and
mode (tests/peers/outlook/standin_modes.h) in rpa-host.exe's environment and ends every Wine
process of the prefix first (wineserver -k), so no stand-in of an earlier case answers.

Cases: Outlook not installed; only the new Outlook installed; the default profile's store, its
folders with their roles and a Japanese subfolder, through the test sibling (C ABI only); a named
profile and one that does not exist; another store of the profile, a shared mailbox, and a
mailbox that is neither; the object model guard denying and the security prompt refused; Outlook
busy for a while (retried) and busy past timeout_seconds (timeout); sending (outlook_send_checks.py);
waiting for new mail (outlook_watch_checks.py).
Exit status 0 when every
check passed.
"""
import argparse
import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import time

from outlook_send_checks import check_sending
from outlook_watch_checks import check_watching
from wine_checks import check, failures, windows_path


def make_store(top, folders, messages=()):
    """A stand-in store: one directory per Outlook folder (nested by '/'), .eml files in them."""
    shutil.rmtree(top, ignore_errors=True)
    for folder in folders:
        os.makedirs(os.path.join(top, *folder.split("/")), exist_ok=True)
    for folder, name, raw in messages:
        with open(os.path.join(top, *folder.split("/"), name), "wb") as file:
            file.write(raw)
    return top


def standin_running():
    """Whether an outlook-standin.exe runs (read from /proc: a fresh Debian has no ps)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                if b"outlook-standin" in file.read():
                    return True
        except OSError:
            pass
    return False


def listed(step):
    """The subjects a Sibling.ListMessages step returned, in order."""
    return [m["subject"] for m in step.get("result", {}).get("messages", [])] if step.get("status") == "ok" else None


def attachments_of(raw):
    """{file name: bytes} of a message's attachments, decoded by Python's email package."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()
            if part.get_filename()}


def check_messages(run_bot, connect, failed_with, top, seed):
    """Search, fetch, attachments, bodies, flags, move, copy, delete and append through the sibling."""
    def listing(**properties):
        return {"action": "Sibling.ListMessages", "properties": dict(session_name="outlook", **properties)}

    newest_first = ["Large attachment", "Fwd: Meeting notes", "Newsletter: December", "見積書のご送付",
                    "Quarterly report"]
    results, _ = run_bot("search", [
        connect(),
        listing(),                                       # 1 every message, newest first
        listing(unseen_only=True),                       # 2
        listing(flagged=True),                           # 3
        listing(has_attachments=True),                   # 4
        listing(has_attachments=False),                  # 5
        listing(**{"from": "yamada"}),                   # 6 the sender's address
        listing(**{"from": "Alice Example"}),            # 7 the sender's name
        listing(subject_contains="REPORT"),              # 8 case-insensitive
        listing(since="2026-11-10"),                     # 9
        listing(before="2026-11-10"),                    # 10
        listing(to="bob@example.com"),                   # 11 a Cc is not a To
        listing(to="dave@example.com", limit=2, order="oldest"),  # 12 a first page
        listing(subject_contains="it's"),                # 13 a quote in the text
        listing(folder="Projects"),                      # 14 an empty folder
    ])
    if not check(len(results) == 15, f"the search bot ran its fifteen steps ({len(results)})"):
        return
    check(listed(results[1]) == newest_first, f"every message, newest first: {listed(results[1])}")
    first = results[1]["result"]["messages"]
    refs = {m["subject"]: m["ref"] for m in first}
    check(all(m["ref"].startswith("outlook:") for m in first), "references are EntryID and StoreID")
    states = {m["subject"]: (m["seen"], m["flagged"]) for m in first}
    check(states["Quarterly report"] == (True, False) and states["見積書のご送付"] == (False, True),
          f"read and flag states as seeded: {states}")
    check(first[3]["from"] == "山田太郎 <yamada@example.co.jp>", f"a Japanese sender: {first[3]['from']}")
    check(results[1]["result"].get("total") == 5, f"the total: {results[1]['result'].get('total')}")
    dates = {m["subject"]: m["date"] for m in first}
    check(dates["Quarterly report"] == "2026-11-02T09:00:00Z" and dates["見積書のご送付"] == "2026-11-05T01:30:00Z",
          f"received times in UTC from Outlook's local times: {dates}")
    check(listed(results[2]) == newest_first[:4], f"unseen only: {listed(results[2])}")
    check(listed(results[3]) == ["見積書のご送付"], f"flagged: {listed(results[3])}")
    check(listed(results[4]) == ["Large attachment", "Fwd: Meeting notes", "見積書のご送付", "Quarterly report"],
          f"with attachments: {listed(results[4])}")
    check(listed(results[5]) == ["Newsletter: December"], f"without attachments: {listed(results[5])}")
    check(listed(results[6]) == ["見積書のご送付"], f"from an address: {listed(results[6])}")
    check(listed(results[7]) == ["Fwd: Meeting notes", "Quarterly report"], f"from a name: {listed(results[7])}")
    check(listed(results[8]) == ["Quarterly report"], f"subject contains, any case: {listed(results[8])}")
    check(listed(results[9]) == newest_first[:3], f"since 2026-11-10: {listed(results[9])}")
    check(listed(results[10]) == newest_first[3:], f"before 2026-11-10: {listed(results[10])}")
    check(listed(results[11]) == [], f"to matches To, not Cc: {listed(results[11])}")
    page = results[12].get("result", {})
    check(listed(results[12]) == ["Quarterly report", "見積書のご送付"] and page.get("next_cursor"),
          f"a first page of two, oldest first, with a cursor: {listed(results[12])} {page.get('next_cursor')}")
    check(listed(results[13]) == [], f"a quote in the filter text is no error: {results[13].get('message')}")
    check(listed(results[14]) == [], f"an empty folder: {results[14].get('message')}")

    # The same dates and date filters where Windows' local time is Tokyo's (Outlook gives local times;
    # DASL compares in UTC).
    results, _ = run_bot("search-tokyo", [connect(), listing(), listing(since="2026-11-05"), listing(before="2026-11-05")],
                         TZ="Asia/Tokyo")
    if check(len(results) == 4, f"the Tokyo bot ran its four steps ({len(results)})"):
        tokyo = {m["subject"]: m["date"] for m in results[1]["result"]["messages"]}
        check(tokyo == dates, f"the same UTC times in Tokyo: {tokyo}")
        check(listed(results[2]) == newest_first[:4], f"since 2026-11-05 (UTC) in Tokyo: {listed(results[2])}")
        check(listed(results[3]) == newest_first[4:], f"before 2026-11-05 (UTC) in Tokyo: {listed(results[3])}")

    # Content: EntryIDs are stable across sessions, so a new bot uses the references listed above.
    fetched, saved, saved_ja, saved_big = (os.path.join(top, n) for n in ("01.eml", "att-01", "att-02", "att-05"))
    for directory in (saved, saved_ja, saved_big):
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
    results, _ = run_bot("content", [
        connect(),
        {"action": "Sibling.Fetch", "properties": {"session_name": "outlook", "ref": refs["Quarterly report"],
                                                   "file": windows_path(fetched)}},
        {"action": "Sibling.SaveAttachments", "properties": {"session_name": "outlook", "ref": refs["Quarterly report"],
                                                             "directory": windows_path(saved)}},
        {"action": "Sibling.SaveAttachments", "properties": {"session_name": "outlook", "ref": refs["見積書のご送付"],
                                                             "directory": windows_path(saved_ja)}},
        {"action": "Sibling.ReadBodies", "properties": {"session_name": "outlook", "ref": refs["見積書のご送付"]}},
        {"action": "Sibling.ReadBodies", "properties": {"session_name": "outlook", "ref": refs["Newsletter: December"]}},
        {"action": "Sibling.SaveAttachments", "properties": {"session_name": "outlook", "ref": refs["Large attachment"],
                                                             "directory": windows_path(saved_big)}},
        listing(to="dave@example.com", limit=2, order="oldest", cursor=page.get("next_cursor", "")),
        {"action": "Sibling.Fetch", "properties": {"session_name": "outlook", "ref": "imap:INBOX:1:1",
                                                   "file": windows_path(fetched + ".bad")}},
    ])
    if check(len(results) == 9, f"the content bot ran its nine steps ({len(results)})"):
        check(results[1]["status"] == "ok", "Fetch " + results[1]["message"])
        raw = open(fetched, "rb").read() if os.path.exists(fetched) else b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        check(message["Subject"] == "Quarterly report" and message["Message-ID"] == "<quarterly@example.com>"
              and "bob@example.com" in str(message["Cc"]), "the fetched message keeps its received header")
        original = open(os.path.join(seed, "inbox", "01.eml"), "rb").read()
        check(attachments_of(raw) == attachments_of(original), "the fetched message's attachments, byte for byte")
        for directory, number in ((saved, "01"), (saved_ja, "02"), (saved_big, "05")):
            expected = attachments_of(open(os.path.join(seed, "inbox", number + ".eml"), "rb").read())
            got = {name: open(os.path.join(directory, name), "rb").read() for name in os.listdir(directory)}
            check(got == expected, f"attachments of {number} saved byte for byte: {sorted(got)} vs {sorted(expected)}")
        bodies = results[4].get("result", {})
        check("見積書を添付いたします" in (bodies.get("text") or ""), f"a Japanese body: {bodies.get('text')!r}")
        html = results[5].get("result", {})
        check("Café news" in (html.get("html") or ""), f"an HTML body: {html}")
        check(listed(results[7]) == ["Newsletter: December", "Fwd: Meeting notes"],
              f"the second page from the first one's cursor: {listed(results[7])}")
        failed_with("another backend's reference", results[8], "invalid_properties", "not a message reference")

    # Changes, each checked by listing in the same bot (the stand-in keeps them in memory).
    new_message = os.path.join(top, "new.eml")
    with open(new_message, "wb") as file:
        file.write("From: Alice <alice@contoso.test>\r\nTo: 山田 <yamada@example.co.jp>\r\n"
                   "Subject: =?UTF-8?B?5pyI5qyh5aCx5ZGK?=\r\nMIME-Version: 1.0\r\n"
                   "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n\r\n報告書です。\r\n--b\r\n"
                   "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%E5%A0%B1%E5%91%8A.pdf\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n".encode("utf-8"))
    appended_file, appended_dir = os.path.join(top, "moved.eml"), os.path.join(top, "att-appended")
    shutil.rmtree(appended_dir, ignore_errors=True)
    os.makedirs(appended_dir)

    def change(action, **properties):
        return {"action": action, "properties": dict(session_name="outlook", **properties)}

    steps = [
        connect(),
        change("Sibling.SetFlags", ref=refs["Newsletter: December"], seen=True, flagged=True),   # 1
        listing(flagged=True),                                                                      # 2
        listing(unseen_only=True),                                                                  # 3
        change("Sibling.SetFlags", ref=refs["見積書のご送付"], flagged=False),                      # 4
        listing(flagged=True),                                                                      # 5
        change("Sibling.Move", ref=refs["Fwd: Meeting notes"], folder="Projects"),                 # 6
        listing(folder="Projects"),                                                                 # 7
        change("Sibling.Copy", ref=refs["Quarterly report"], folder="Inbox/請求書"),               # 8
        listing(folder="Inbox/請求書"),                                                             # 9
        change("Sibling.Delete", ref=refs["Large attachment"]),                                     # 10
        listing(folder="trash"),                                                                    # 11
        change("Sibling.Delete", ref=refs["見積書のご送付"], permanently=True),                     # 12
        listing(folder="trash"),                                                                    # 13
        listing(),                                                                                  # 14
        change("Sibling.Append", folder="Projects", file=windows_path(new_message)),               # 15
        listing(folder="Projects", subject_contains="月次"),                                        # 16
    ]
    # A failed step ends a bot: the one expected failure comes last.
    results, _ = run_bot("changes", steps + [
        change("Sibling.Fetch", ref=refs["Fwd: Meeting notes"], file=windows_path(appended_file)),  # 17 moved away
    ])
    if not check(len(results) == 18, f"the changes bot ran its eighteen steps ({len(results)})"):
        return
    check(results[1]["status"] == "ok", "SetFlags seen and flagged " + results[1]["message"])
    check(listed(results[2]) == ["Newsletter: December", "見積書のご送付"], f"flagged after: {listed(results[2])}")
    check(listed(results[3]) == ["Large attachment", "Fwd: Meeting notes", "見積書のご送付"],
          f"unseen after marking read: {listed(results[3])}")
    check(listed(results[5]) == ["Newsletter: December"], f"a flag cleared: {listed(results[5])}")
    moved = results[6].get("result", {}).get("ref", "")
    check(results[6]["status"] == "ok" and moved.startswith("outlook:") and moved != refs["Fwd: Meeting notes"],
          "Move gives the moved item's new reference " + results[6]["message"])
    check(listed(results[7]) == ["Fwd: Meeting notes"], f"the moved message in Projects: {listed(results[7])}")
    check(results[8]["status"] == "ok" and results[8]["result"].get("ref", "").startswith("outlook:"),
          "Copy " + results[8]["message"])
    check(listed(results[9]) == ["Quarterly report"], f"the copy in Inbox/請求書: {listed(results[9])}")
    check(results[10]["status"] == "ok" and "Deleted Items" in results[10]["message"],
          "Delete moves into Deleted Items " + results[10]["message"])
    check(listed(results[11]) == ["Large attachment"], f"Deleted Items: {listed(results[11])}")
    check(results[12]["status"] == "ok" and "for good" in results[12]["message"],
          "Delete permanently " + results[12]["message"])
    check(listed(results[13]) == ["Large attachment"], f"deleted for good is not in Deleted Items: {listed(results[13])}")
    check(listed(results[14]) == ["Newsletter: December", "Quarterly report"], f"the Inbox after: {listed(results[14])}")
    appended_ref = results[15].get("result", {}).get("ref", "")
    check(results[15]["status"] == "ok" and appended_ref.startswith("outlook:") and "draft" in results[15]["message"],
          "Append says it is stored as a draft " + results[15]["message"])
    check(listed(results[16]) == ["月次報告"], f"the appended message found by its Japanese subject: {listed(results[16])}")
    failed_with("a moved message's old reference", results[17], "message_not_found", "moved or deleted")

    # The appended item lives in the stand-in's memory, which numbers new EntryIDs in order: the same
    # steps in a new bot give it the same reference, so its content can be read back there.
    results, _ = run_bot("appended", steps + [
        change("Sibling.SaveAttachments", ref=appended_ref, directory=windows_path(appended_dir)),  # 17
        change("Sibling.ReadBodies", ref=appended_ref),                                              # 18
    ])
    if check(len(results) == 19, f"the appended bot ran its nineteen steps ({len(results)})"):
        saved_names = sorted(os.listdir(appended_dir))
        check(results[17]["status"] == "ok" and saved_names == ["報告.pdf"]
              and open(os.path.join(appended_dir, "報告.pdf"), "rb").read() == b"%PDF-1.4\n",
              f"the appended message's attachment, by its Japanese name: {saved_names} {results[17]['message']}")
        check("報告書です" in (results[18].get("result", {}).get("text") or ""),
              f"the appended message's body: {results[18].get('result')}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wine", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--register", required=True, help="tests/peers/outlook/register.sh")
    parser.add_argument("--seed", required=True, help="tests/peers/dovecot/seed-mail.py")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    prefix = os.environ["WINEPREFIX"]
    wineserver = os.path.join(os.path.dirname(args.wine), "wineserver")
    if not os.path.exists(wineserver):
        wineserver = shutil.which("wineserver") or "wineserver"
    standin = os.path.join(build, "test-peers", "outlook-standin.exe")
    top = os.path.join(build, "outlook-check")
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)

    standard = ["Inbox", "Inbox/請求書", "Sent Items", "Drafts", "Deleted Items", "Junk Email", "Outbox"]
    # The Inbox holds the Dovecot peer's seeded mail (seed-mail.py): the same five messages the
    # IMAP, POP3, EWS and Graph tests read, with their flags (NN.flags).
    seed = os.path.join(top, "seed")
    subprocess.run([sys.executable, args.seed, seed], check=True, timeout=120)
    seeded = [("Inbox", name, open(os.path.join(seed, "inbox", name), "rb").read())
              for name in sorted(os.listdir(os.path.join(seed, "inbox")))]
    alice = make_store(os.path.join(top, "alice"), standard + ["Projects", "Projects/2026"], seeded)
    archive = make_store(os.path.join(top, "archive"), ["Inbox", "Old"])
    sales = make_store(os.path.join(top, "sales"), standard)
    base = {
        "RPA_OUTLOOK_STANDIN_STORE": windows_path(alice),
        "RPA_OUTLOOK_STANDIN_USER": "Alice Tanaka <alice@contoso.test>",
        "RPA_OUTLOOK_STANDIN_STORES": "Online Archive=" + windows_path(archive),
        "RPA_OUTLOOK_STANDIN_SHARED": "sales@contoso.test=" + windows_path(sales),
        "RPA_OUTLOOK_STANDIN_PROFILES": "Outlook|Work",
    }

    def register(installed):
        done = subprocess.run([args.register, prefix, standin if installed else "--unregister"],
                              capture_output=True, timeout=300)
        check(done.returncode == 0, f"register.sh {'registers' if installed else 'unregisters'} the stand-in "
              + done.stderr.decode(errors="replace").strip())

    def stop_wine():
        # Ends every process of the prefix and waits for the server, so the next case starts afresh.
        subprocess.run([wineserver, "-k"], capture_output=True, timeout=60)
        subprocess.run([wineserver, "-w"], capture_output=True, timeout=60)

    def run_bot(name, steps, **environment):
        stop_wine()  # no stand-in of an earlier case
        bot = os.path.join(top, name + ".json")
        with open(bot, "w", encoding="utf-8") as file:
            json.dump({"steps": steps}, file, ensure_ascii=False)
        env = dict(os.environ, WINEDEBUG="-all", LC_ALL="C.UTF-8", **base)
        env.update(environment)
        started = time.monotonic()
        # Output into files, not pipes: the stand-in COM starts inherits the host's handles and
        # outlives it by its grace period.
        out_path, err_path = os.path.join(top, name + ".out"), os.path.join(top, name + ".err")
        try:
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                subprocess.run([args.wine, os.path.join(build, "bin", "rpa-host.exe"),
                                   "--plugins", windows_path(os.path.join(build, "plugins")),
                                   "--plugins", windows_path(os.path.join(build, "plugins-test")),
                                   "--json", "run", windows_path(bot)],
                               stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, timeout=120, cwd=top)
        except subprocess.TimeoutExpired:
            check(False, f"{name}: the bot ended within 120 s")
            return [], 120.0
        elapsed = time.monotonic() - started
        output = open(out_path, "rb").read().decode("utf-8", errors="replace")
        results = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        if len(results) != len(steps):
            print(open(err_path, "rb").read().decode("utf-8", errors="replace")[-2000:], file=sys.stderr)
        return results, elapsed

    def connect(session="outlook", **properties):
        return {"action": "Email.Connect", "properties": dict(session_name=session, connection="outlook", **properties)}

    def failed_with(name, step, code, *words):
        said = step.get("message", "") if step else "(no step ran)"
        check(step is not None and step["code"] == code and all(w in said for w in words),
              f"{name}: {code} naming {words}: {said}")

    # Outlook not installed: the ProgID is not registered.
    register(False)
    results, _ = run_bot("not-installed", [connect()])
    failed_with("Outlook not installed", results[0] if results else None, "unsupported",
                "not installed", '"microsoft365"', '"ews"')

    # Only the new Outlook: its app execution alias olk.exe, and no ProgID.
    users = os.path.join(prefix, "drive_c", "users")
    user = next((u for u in os.listdir(users) if os.path.isdir(os.path.join(users, u, "AppData"))), None)
    alias = os.path.join(users, user or "", "AppData", "Local", "Microsoft", "WindowsApps", "olk.exe")
    os.makedirs(os.path.dirname(alias), exist_ok=True)
    open(alias, "wb").close()
    results, _ = run_bot("new-outlook", [connect()])
    failed_with("only the new Outlook", results[0] if results else None, "unsupported",
                "new Outlook", "no object model", '"microsoft365"')
    os.remove(alias)

    # The default profile's own store.
    register(True)
    results, _ = run_bot("default", [
        connect(),
        {"action": "Sibling.MailboxFolders", "properties": {"session_name": "outlook"}},
        {"action": "Sibling.ListFolders", "properties": {"session_name": "outlook"}},
        {"action": "Sibling.FindFolder", "properties": {"session_name": "outlook", "folder": "sent"}},
        {"action": "Email.Disconnect", "properties": {"session_name": "outlook"}},
        connect(),
        {"action": "Sibling.ListMessages", "properties": {"session_name": "outlook"}},
    ])
    if check(len(results) == 7, f"the default bot ran its seven steps ({len(results)})"):
        check(results[0]["status"] == "ok", "Connect outlook with no other field: " + results[0]["message"])
        check("alice@contoso.test" in results[0]["message"], "Connect names the store it opened")
        folders = results[1].get("result", {}).get("folders", [])
        roles = {f.get("role"): f.get("path") for f in folders if f.get("role")}
        check(roles == {"inbox": "Inbox", "sent": "Sent Items", "drafts": "Drafts", "trash": "Deleted Items",
                        "junk": "Junk Email"}, f"roles from GetDefaultFolder: {roles}")
        paths = sorted(f.get("path") for f in folders)
        check("Inbox/請求書" in paths and "Projects/2026" in paths, f"nested folders as paths, in Japanese too: {paths}")
        check(results[2]["status"] == "ok" and "Inbox/請求書" in results[2]["result"]["folders"],
              "the session's own folder list (email.session/1) " + results[2]["message"])
        check(results[3]["status"] == "ok" and results[3]["result"].get("path") == "Sent Items",
              "find_folder by the role sent " + results[3]["message"])
        check(results[4]["status"] == "ok", "Disconnect " + results[4]["message"])
        check(results[5]["status"] == "ok", "Connect again after Disconnect " + results[5]["message"])
        check(results[6]["status"] == "ok" and len(results[6]["result"]["messages"]) == 5,
              "the Inbox's five messages after a second Connect " + results[6]["message"])
        info = results[0].get("result", {}).get("session", {})
        check(info.get("protocol") == "Outlook" and {"search", "fetch_raw", "fetch_attachment", "set_flags",
                                                     "move", "copy", "delete_message", "append"} <= set(info.get("mailbox_operations", [])),
              f"the session says what it can: {info.get('mailbox_operations')}")

    check_messages(run_bot, connect, failed_with, top, seed)
    check_sending(run_bot, connect, failed_with, top)
    check_watching(run_bot, connect, failed_with, top)

    # Profiles: a named one, and one that does not exist.
    # Outlook already running keeps its profile: a second Connect naming another one is warned.
    results, _ = run_bot("profile", [connect(profile="Work"), connect("again", profile="Outlook")])
    if check(len(results) == 2, "the profile bot ran both steps"):
        check(results[0]["status"] == "ok" and 'profile "Work"' in results[0]["message"],
              "Connect with the profile Work: " + results[0]["message"])
        check(results[1]["status"] == "ok" and "already running" in results[1]["message"],
              "a second profile while Outlook runs: a warning " + results[1]["message"])
    results, _ = run_bot("no-profile", [connect(profile="Nobody")])
    failed_with("a profile that does not exist", results[0] if results else None, "invalid_properties", "profile",
                "Nobody")
    # The failed Connect released what it got: the stand-in ends after its 5 s launch grace.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and standin_running():
        time.sleep(0.5)
    check(not standin_running(), "a failed Connect holds no reference: the stand-in Outlook ends by itself")

    # Mailboxes: another store of the profile, a shared mailbox, neither.
    results, _ = run_bot("mailboxes", [
        connect("archive", mailbox="Online Archive"),  # a store's name has spaces
        {"action": "Sibling.MailboxFolders", "properties": {"session_name": "archive"}},
        connect("sales", mailbox="sales@contoso.test"),
        {"action": "Sibling.MailboxFolders", "properties": {"session_name": "sales"}},
        connect("nobody", mailbox="nobody@contoso.test"),
    ])
    if check(len(results) == 5, "the mailbox bot ran its five steps"):
        check(results[0]["status"] == "ok", "Connect to the store Online Archive: " + results[0]["message"])
        paths = sorted(f.get("path") for f in results[1].get("result", {}).get("folders", []))
        check(paths == ["Inbox", "Old"], f"the Archive store's folders: {paths}")
        check(results[2]["status"] == "ok", "Connect to the shared mailbox: " + results[2]["message"])
        roles = {f.get("role") for f in results[3].get("result", {}).get("folders", [])}
        check({"inbox", "sent"} <= roles, f"the shared mailbox's default folders: {roles}")
        failed_with("a mailbox that is neither a store nor shared", results[4], "folder_not_found",
                    "nobody@contoso.test", '"Online Archive"')

    # The object model guard.
    for mode in ("guard-deny", "guard-refused"):
        results, _ = run_bot(mode, [connect()], RPA_OUTLOOK_STANDIN_MODE=mode)
        failed_with(f"the object model guard ({mode})", results[0] if results else None, "authentication_failed",
                    "Trust Center", "antivirus")

    # Busy: a modal dialog for 2 s is waited out; one that stays is a timeout at timeout_seconds.
    results, _ = run_bot("busy-briefly", [connect(timeout_seconds=30)], RPA_OUTLOOK_STANDIN_BUSY_MS="2000")
    check(bool(results) and results[0]["status"] == "ok",
          "Outlook busy for 2 s: retried until it answers " + (results[0]["message"] if results else ""))
    results, elapsed = run_bot("busy-forever", [connect(timeout_seconds=3)], RPA_OUTLOOK_STANDIN_BUSY_MS="600000")
    failed_with("Outlook busy past timeout_seconds", results[0] if results else None, "timeout", "busy", "dialog")
    check(elapsed < 30, f"the busy timeout ends the bot in time ({elapsed:.1f} s)")

    stop_wine()
    print(f"{len(failures)} failed: " + "; ".join(f[:300] for f in failures) if failures else "every Outlook check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
