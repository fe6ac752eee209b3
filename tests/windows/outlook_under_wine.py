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
busy for a while (retried) and busy past timeout_seconds (timeout). Exit status 0 when every
check passed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wine", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--register", required=True, help="tests/peers/outlook/register.sh")
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
    alice = make_store(os.path.join(top, "alice"), standard + ["Projects", "Projects/2026"])
    archive = make_store(os.path.join(top, "archive"), ["Inbox", "Old"])
    sales = make_store(os.path.join(top, "sales"), standard)
    base = {
        "RPA_OUTLOOK_STANDIN_STORE": windows_path(alice),
        "RPA_OUTLOOK_STANDIN_USER": "Alice Tanaka <alice@contoso.test>",
        "RPA_OUTLOOK_STANDIN_STORES": "Archive=" + windows_path(archive),
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
        {"action": "Sibling.ListMessages", "properties": {"session_name": "outlook"}},  # the bot ends here
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
        failed_with("listing messages", results[6], "unsupported", "not implemented yet", "Outlook")
        info = results[0].get("result", {}).get("session", {})
        check(info.get("mailbox_operations") == ["list_folders", "find_folder"] and info.get("protocol") == "Outlook",
              f"the session says what it can: {info.get('mailbox_operations')}")

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
        connect("archive", mailbox="Archive"),
        {"action": "Sibling.MailboxFolders", "properties": {"session_name": "archive"}},
        connect("sales", mailbox="sales@contoso.test"),
        {"action": "Sibling.MailboxFolders", "properties": {"session_name": "sales"}},
        connect("nobody", mailbox="nobody@contoso.test"),
    ])
    if check(len(results) == 5, "the mailbox bot ran its five steps"):
        check(results[0]["status"] == "ok", "Connect to the store Archive: " + results[0]["message"])
        paths = sorted(f.get("path") for f in results[1].get("result", {}).get("folders", []))
        check(paths == ["Inbox", "Old"], f"the Archive store's folders: {paths}")
        check(results[2]["status"] == "ok", "Connect to the shared mailbox: " + results[2]["message"])
        roles = {f.get("role") for f in results[3].get("result", {}).get("folders", [])}
        check({"inbox", "sent"} <= roles, f"the shared mailbox's default folders: {roles}")
        failed_with("a mailbox that is neither a store nor shared", results[4], "folder_not_found",
                    "nobody@contoso.test")

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
    print(f"{len(failures)} failed" if failures else "every Outlook check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
