#!/usr/bin/env python3
"""rpa-host.exe under Wine against the Linux peers (issue 24).

Everything lives under a folder with a Japanese name (<build>/host-check/ユーザー/田中/), as
C:\\Users\\田中\\ does on a Japanese bot runner: the vault (金庫.vault), the bot files, the message
appended (its attachment is 請求書.pdf) and the folder the attachments are saved into (添付).

1. `vault set` stores every password, read from standard input (never a command line);
   `vault list` shows names only. The vault's passphrase is Japanese, and the Linux rpa-host opens
   the same file with it (the same vault and passphrase work on both systems). Without a passphrase,
   the vault's key is kept for the Windows user (DPAPI); Linux says where such a vault opens.
2. One bot connects over IMAP, POP3, IMAP with OAuth2, EWS (Basic) and Microsoft 365 (Graph, OAuth2),
   appends the message through the test sibling over IMAP, EWS and Graph, finds it by its subject,
   and lists folders on every session.
3. A second bot, a new process, saves the attachment by the reference the first one found (refs
   outlive sessions) and fetches the raw message over IMAP (both files: exactly the bytes sent), EWS
   and Graph (whose body is spooled to a temporary file on the way), then deletes all three.
4. A wrong password says authentication failed; no ca_file means Windows' own trust store decides,
   and it does not know the test CA.
5. The release archive (rpa-email-<version>-win64.zip), unpacked under パッケージ\ロボット, finds its
   plugin by itself and connects with the same vault.
No password appears in any output. Exit status 0 when every check passed.
"""
import argparse
import email.message
import email.policy
import json
import os
import secrets
import shutil
import struct
import subprocess
import sys
import traceback

from wine_checks import check, failures, windows_path


def read_env(path):
    values = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                values[key] = value
    return values



def check_system_proxy(args, environment, run, connects, work, peer, internet_options):
    """7. proxy "system": a proxy list, a proxy script, one that cannot be downloaded, one whose
    server never answers, each set in Internet Options by `internet_options`."""
    proxy_port = peer["PEER_HTTP_PROXY"].rsplit(":", 1)[1]
    proxies = f"http=127.0.0.1:9;https=127.0.0.1:{proxy_port}".encode()
    bypass = b"<-loopback>"  # localhost would go direct otherwise
    settings = (struct.pack("<III", 0x46, 0, 0x3) + struct.pack("<I", len(proxies)) + proxies +
                struct.pack("<I", len(bypass)) + bypass + struct.pack("<I", 0) + bytes(32))
    check(internet_options(settings), "Internet Options name a proxy list in the registry")
    through = dict(connects[0])
    through["properties"] = dict(connects[0]["properties"], proxy="system")
    with open(os.path.join(work, "system-proxy.json"), "w", encoding="utf-8") as file:
        json.dump({"steps": [through, {"action": "Email.Disconnect", "properties": {"session_name": "imap"}}]}, file)
    proxied = run(["--verbose", "--json", "run", windows_path(os.path.join(work, "system-proxy.json"))])
    internet_options(None)
    said = [json.loads(line) for line in proxied.stdout.decode("utf-8").splitlines() if line.startswith("{")]
    check(proxied.returncode == 0 and said and said[0]["status"] == "ok" and
          f"through the proxy http://127.0.0.1:{proxy_port}".encode() in proxied.stdout + proxied.stderr,
          f"proxy system connects through the https= proxy of Internet Options ({said[0]['message'] if said else ''})")

    # 7b. A proxy script (PAC) in Internet Options, run by WinHTTP's autoproxy: the script names the
    #     proxy. 7c. A script that cannot be downloaded: a warning, and the other settings (none:
    #     a direct connection).
    import http.server, socket, threading
    script = f'function FindProxyForURL(url, host) {{ return "PROXY 127.0.0.1:{proxy_port}; DIRECT"; }}'
    fetched = []

    class ScriptServer(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            fetched.append(self.path)
            body = script.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ns-proxy-autoconfig")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *arguments):
            pass

    script_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ScriptServer)
    threading.Thread(target=script_server.serve_forever, daemon=True).start()
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    for case, script_url in (("pac", f"http://127.0.0.1:{script_server.server_port}/proxy.pac"),
                             ("pac-unreachable", f"http://127.0.0.1:{closed_port}/proxy.pac")):
        address = script_url.encode()
        settings = (struct.pack("<III", 0x46, 0, 0x5) + struct.pack("<I", 0) + struct.pack("<I", 0) +
                    struct.pack("<I", len(address)) + address + bytes(32))
        check(internet_options(settings), f"Internet Options name the proxy script {script_url}")
        with open(os.path.join(work, f"{case}.json"), "w", encoding="utf-8") as file:
            json.dump({"steps": [through, {"action": "Email.Disconnect", "properties": {"session_name": "imap"}}]},
                      file)
        proxied = run(["--verbose", "--json", "run", windows_path(os.path.join(work, f"{case}.json"))])
        said = [json.loads(line) for line in proxied.stdout.decode("utf-8").splitlines() if line.startswith("{")]
        printed = proxied.stdout + proxied.stderr
        connected = proxied.returncode == 0 and said and said[0]["status"] == "ok"
        if case == "pac":
            check(connected and fetched and f"through the proxy http://127.0.0.1:{proxy_port}".encode() in printed,
                  f"proxy system runs the proxy script and connects through the proxy it names "
                  f"({said[0]['message'] if said else printed[-300:]!r}; script fetched {len(fetched)} time(s))")
        else:
            check(connected and b"through the proxy" not in printed and b"could not be downloaded" in printed,
                  f"a proxy script that cannot be downloaded: a warning, then a direct connection "
                  f"({said[0]['message'] if said else printed[-300:]!r})")
    script_server.shutdown()
    # 7d. A script server that accepts and never answers: timeout at timeout_seconds.
    with socket.socket() as silent_script:
        silent_script.bind(("127.0.0.1", 0))
        silent_script.listen(8)
        address = f"http://127.0.0.1:{silent_script.getsockname()[1]}/proxy.pac".encode()
        settings = (struct.pack("<III", 0x46, 0, 0x5) + struct.pack("<I", 0) + struct.pack("<I", 0) +
                    struct.pack("<I", len(address)) + address + bytes(32))
        check(internet_options(settings), "Internet Options name a proxy script whose server never answers")
        with open(os.path.join(work, "pac-silent.json"), "w", encoding="utf-8") as file:
            json.dump({"steps": [dict(through, properties=dict(through["properties"], timeout_seconds=3))]}, file)
        waited = run(["--json", "run", windows_path(os.path.join(work, "pac-silent.json"))])
    said = [json.loads(line) for line in waited.stdout.decode("utf-8").splitlines() if line.startswith("{")]
    check(said and said[0]["code"] == "timeout" and "the proxy script" in said[0]["message"],
          f"a proxy script whose server never answers: timeout at timeout_seconds "
          f"({said[0]['message'] if said else ''})")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wine", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--peers", required=True)
    parser.add_argument("--package", required=True)
    parser.add_argument("--linux-host", help="the Linux rpa-host, to open the same vault")
    args = parser.parse_args()
    peer = read_env(args.peers)
    build = os.path.abspath(args.build)

    top = os.path.join(build, "host-check")
    shutil.rmtree(top, ignore_errors=True)
    work = os.path.join(top, "ユーザー", "田中")
    saved = os.path.join(work, "添付")
    os.makedirs(saved)
    vault = os.path.join(work, "金庫.vault")

    identity = json.load(open(peer["PEER_IDENTITY_DIRECTORY"], encoding="utf-8"))
    exchange = json.load(open(peer["PEER_EWS_MAILBOXES"], encoding="utf-8"))
    passwords = {
        "erin": open(peer["PEER_ERIN_PASSWORD_FILE"], encoding="utf-8").read(),
        "alice": open(peer["PEER_ALICE_PASSWORD_FILE"], encoding="utf-8").read(),
        "alice (Microsoft 365)": identity["users"]["alice"]["password"],
        "alice@contoso.test (Microsoft 365)": identity["users"]["alice@contoso.test"]["password"],
        "alice (Exchange)": exchange["mailboxes"]["alice@contoso.test"]["password"],
    }
    # A UTF-8 locale, so that Wine reads the environment's Japanese as UTF-8 whatever CI's is.
    environment = dict(os.environ, RPA_VAULT_PASSPHRASE="金庫の合言葉-" + secrets.token_hex(8), WINEDEBUG="-all",
                       LC_ALL="C.UTF-8")
    host = [args.wine, os.path.join(build, "bin", "rpa-host.exe"),
            "--plugins", windows_path(os.path.join(build, "plugins")),
            "--plugins", windows_path(os.path.join(build, "plugins-test")),
            "--vault", windows_path(vault)]
    outputs = []

    def run(arguments, stdin=b"", timeout=300):
        done = subprocess.run(host + arguments, input=stdin, capture_output=True, env=environment,
                              timeout=timeout, cwd=work)
        outputs.append(done.stdout + done.stderr)
        return done

    # 1. The vault, under the Japanese folder.
    for name, password in passwords.items():
        done = run(["vault", "set", "Test", name, "password"], password.encode("utf-8"))
        check(done.returncode == 0, f"vault set Test/{name}/password (stdin): {done.stderr.decode(errors='replace').strip()}")
    check(os.path.exists(vault), "the vault file 金庫.vault exists under ユーザー\\田中")
    listed = run(["vault", "list"]).stdout.decode("utf-8", errors="replace")
    check("Test/alice (Exchange)/password" in listed, "vault list names the entries")
    if args.linux_host:
        on_linux = subprocess.run([args.linux_host, "--vault", vault, "vault", "list"], capture_output=True,
                                  env=environment, timeout=60)
        check(on_linux.returncode == 0 and on_linux.stdout.decode("utf-8") == listed,
              "the Linux rpa-host opens the vault Windows wrote, with the same Japanese passphrase " +
              on_linux.stderr.decode("utf-8", errors="replace").strip())

    # A vault without a passphrase: DPAPI keeps its key for this Windows user.
    kept = os.path.join(work, "田中の金庫.vault")
    unprotected = {k: v for k, v in environment.items() if k != "RPA_VAULT_PASSPHRASE"}
    windows_host = [args.wine, os.path.join(build, "bin", "rpa-host.exe"), "--vault", windows_path(kept)]
    stored = subprocess.run(windows_host + ["vault", "set", "Kept", "tanaka", "password"], input=b"kept secret",
                            capture_output=True, env=unprotected, timeout=300, cwd=work)
    listed = subprocess.run(windows_host + ["vault", "list"], capture_output=True, env=unprotected, timeout=300, cwd=work)
    outputs.extend([stored.stdout + stored.stderr, listed.stdout + listed.stderr])
    check(stored.returncode == 0 and listed.stdout.decode("utf-8").strip() == "Kept/tanaka/password"
          and b'"dpapi"' in open(kept, "rb").read() and b"kept secret" not in open(kept, "rb").read(),
          f"a vault without a passphrase is kept for the Windows user (DPAPI) {stored.stderr[-200:]!r}")
    if args.linux_host:
        refused = subprocess.run([args.linux_host, "--vault", kept, "vault", "list"], capture_output=True,
                                 env=environment, timeout=60)
        check(refused.returncode != 0 and b"open it on Windows" in refused.stderr,
              "the Linux rpa-host says where a vault without a passphrase opens " + refused.stderr.decode(errors="replace").strip())

    # 2. The message with a Japanese attachment name.
    token = secrets.token_hex(6)
    message = email.message.EmailMessage(policy=email.policy.SMTP)
    message["From"] = "tanaka@example.test"
    message["To"] = "erin@example.test"
    message["Subject"] = f"請求書 windows-host-check {token}"
    message["X-Windows-Check"] = token
    message.set_content("請求書を添付します。\n")
    invoice = b"%PDF-1.4\n" + secrets.token_bytes(3000) + b"\n%%EOF\n"
    message.add_attachment(invoice, maintype="application", subtype="pdf", filename="請求書.pdf")
    raw = message.as_bytes()
    eml = os.path.join(work, "請求書メール.eml")
    with open(eml, "wb") as file:
        file.write(raw)

    def vaulted(name):
        return {"credential": {"locker": "Test", "name": name, "attribute": "password"}}

    ca = windows_path(peer["PEER_CA_FILE"])
    oauth = {"auth_type": "oauth2", "client_id": identity["public_clients"][0], "tenant_id": identity["tenant"],
             "authority": peer["PEER_AUTHORITY"]}
    def mail_server(session, protocol, port, user, password, **more):
        return {"action": "Email.Connect", "properties": dict(
            session_name=session, connection="email_server", host="localhost", port=int(port),
            tls_mode="implicit", ca_file=ca, protocol=protocol, username=user, password=vaulted(password),
            timeout_seconds=30, **more)}
    connects = [
        mail_server("imap", "IMAP", peer["PEER_IMAPS_PORT"], "erin", "erin"),
        mail_server("pop3", "POP3", peer["PEER_POP3S_PORT"], "alice", "alice"),
        mail_server("imap-oauth2", "IMAP", peer["PEER_OAUTH_IMAPS_PORT"], "alice", "alice (Microsoft 365)", **oauth),
        {"action": "Email.Connect", "properties": dict(
            session_name="exchange", connection="ews", ews_url=peer["PEER_EWS_URL"], ca_file=ca,
            exchange_version="Exchange2016", username="alice@contoso.test", password=vaulted("alice (Exchange)"),
            timeout_seconds=30)},
        {"action": "Email.Connect", "properties": dict(
            session_name="microsoft365", connection="microsoft365", graph_url=peer["PEER_GRAPH_URL"], ca_file=ca,
            username="alice@contoso.test", password=vaulted("alice@contoso.test (Microsoft 365)"),
            timeout_seconds=30, **oauth)},
    ]
    sessions = [step["properties"]["session_name"] for step in connects]
    first = {"steps": connects + [
        {"action": "Sibling.Append", "properties": {"session_name": "imap", "folder": "INBOX",
                                                    "file": windows_path(eml)}},
        {"action": "Sibling.ListMessages", "properties": {"session_name": "imap", "subject_contains": token}},
    ] + [step for name in ("exchange", "microsoft365") for step in (
        {"action": "Sibling.Append", "properties": {"session_name": name, "folder": "inbox", "file": windows_path(eml)}},
        {"action": "Sibling.ListMessages", "properties": {"session_name": name, "subject_contains": token}})
    ] + [{"action": "Sibling.ListFolders", "properties": {"session_name": name}} for name in sessions]
      + [{"action": "Email.Disconnect", "properties": {"session_name": name}} for name in sessions]}

    def run_bot(name, bot):
        path = os.path.join(work, name)
        with open(path, "w", encoding="utf-8") as file:
            json.dump(bot, file, ensure_ascii=False)
        done = run(["--json", "run", windows_path(path)])
        steps = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines() if line.startswith("{")]
        for step in steps:
            check(step["status"] == "ok", f"{name} step {step['step']} {step['action']}: {step['message']}")
        check(done.returncode == 0 and len(steps) == len(bot["steps"]),
              f"{name}: every step ran (exit {done.returncode}) {done.stderr.decode(errors='replace').strip()}")
        return steps

    steps = run_bot("ボット1.json", first)
    found = [s for s in steps if s["action"] == "Sibling.ListMessages"]
    messages = found[0]["result"]["messages"] if found and found[0].get("result") else []
    elsewhere = {name: listed["result"]["messages"][0]["ref"] for name, listed in zip(["exchange", "microsoft365"], found[1:])
                 if listed.get("result") and listed["result"]["messages"]}
    check(len(elsewhere) == 2, f"a message listed over EWS and over Graph ({[m['message'] for m in found[1:]]})")
    check(len(messages) == 1, f"the appended message is found by its subject ({len(messages)} found)")
    if not messages:
        return
    ref = messages[0]["ref"]
    check(messages[0]["subject"] == message["Subject"], "its subject reads back in Japanese")
    check([a["name"] for a in messages[0]["attachments"]] == ["請求書.pdf"], "its attachment is named 請求書.pdf")
    for s in steps:
        if s["action"] == "Sibling.ListFolders":
            check(len(s["result"]["folders"]) > 0, "folders listed on a session")

    # 3. A new process: the reference outlives the session that found it.
    fetched = os.path.join(work, "受信.eml")
    elsewhere_files = {name: os.path.join(work, f"受信-{name}.eml") for name in elsewhere}
    second = run_bot("ボット2.json", {"steps": [connects[0], connects[3], connects[4]] + [
        {"action": "Sibling.Fetch", "properties": {"session_name": name, "ref": elsewhere[name],
                                                   "file": windows_path(elsewhere_files[name])}}
        for name in elsewhere] + [
        {"action": "Sibling.Delete", "properties": {"session_name": name, "ref": elsewhere[name], "permanently": True}}
        for name in elsewhere] + [
        {"action": "Sibling.SaveAttachments", "properties": {"session_name": "imap", "ref": ref,
                                                             "directory": windows_path(saved)}},
        {"action": "Sibling.Fetch", "properties": {"session_name": "imap", "ref": ref, "file": windows_path(fetched)}},
        {"action": "Sibling.Delete", "properties": {"session_name": "imap", "ref": ref, "permanently": True}},
        {"action": "Email.Disconnect", "properties": {"session_name": "imap"}},
    ]})
    # Graph's $value is spooled to a temporary file (util/files.h) on its way.
    for fetch in (s for s in second if s["action"] == "Sibling.Fetch" and s["result"]["file"] != windows_path(fetched)):
        path = next(p for p in elsewhere_files.values() if windows_path(p) == fetch["result"]["file"])
        check(os.path.exists(path) and os.path.getsize(path) == fetch["result"]["size"] > 0
              and f"X-Windows-Check: {token}".encode() in open(path, "rb").read(),
              f"{os.path.basename(path)}: the message appended, {fetch['result']['size']} bytes")
    pdf = os.path.join(saved, "請求書.pdf")
    check(os.path.exists(pdf) and open(pdf, "rb").read() == invoice,
          "添付\\請求書.pdf is saved under its own name with the bytes sent")
    check(os.listdir(saved) == ["請求書.pdf"], f"nothing else is left in 添付 ({os.listdir(saved)})")
    check(os.path.exists(fetched) and open(fetched, "rb").read() == raw, "受信.eml holds the message's exact bytes")

    # 4. Clear errors.
    bad_bot = {"steps": [mail_server("imap", "IMAP", peer["PEER_IMAPS_PORT"], "erin", "alice")]}
    with open(os.path.join(work, "wrong.json"), "w", encoding="utf-8") as file:
        json.dump(bad_bot, file)
    wrong = run(["--json", "run", windows_path(os.path.join(work, "wrong.json"))])
    said = [json.loads(line) for line in wrong.stdout.decode("utf-8").splitlines() if line.startswith("{")]
    check(wrong.returncode != 0 and said and said[0]["code"] == "authentication_failed"
          and "authentication failed" in said[0]["message"].lower(),
          f"a wrong password: authentication failed ({said[0]['message'] if said else wrong.stderr!r})")
    untrusted = dict(connects[0])
    untrusted["properties"] = {k: v for k, v in connects[0]["properties"].items() if k != "ca_file"}
    with open(os.path.join(work, "untrusted.json"), "w", encoding="utf-8") as file:
        json.dump({"steps": [untrusted]}, file)
    refused = run(["--json", "run", windows_path(os.path.join(work, "untrusted.json"))])
    said = [json.loads(line) for line in refused.stdout.decode("utf-8").splitlines() if line.startswith("{")]
    check(refused.returncode != 0 and said and said[0]["code"] == "tls_failed"
          and "certificate" in said[0]["message"],
          f"no ca_file: Windows' trust store does not know the test CA ({said[0]['message'] if said else ''})")

    # 5. The release archive, unpacked under a Japanese name; its host finds its own plugin.
    unpacked = os.path.join(top, "パッケージ", "ロボット")
    shutil.unpack_archive(args.package, unpacked)
    (folder,) = os.listdir(unpacked)
    packaged = os.path.join(unpacked, folder, "bin", "rpa-host.exe")
    check(os.path.exists(os.path.join(unpacked, folder, "lib", "rpa", "plugins", "rpa_email.dll")),
          "the archive holds bin\\rpa-host.exe and lib\\rpa\\plugins\\rpa_email.dll")
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    example = os.path.join(top, "example-sibling")
    configured = subprocess.run(
        ["cmake", "-S", os.path.join(source, "examples", "sibling-plugin"), "-B", example, "--toolchain",
         os.path.join(source, "cmake", "toolchains", "mingw-w64-x86_64.cmake"),
         "-Drpa_DIR=" + os.path.join(unpacked, folder, "share", "cmake", "rpa")], capture_output=True)
    built = subprocess.run(["cmake", "--build", example], capture_output=True) if configured.returncode == 0 else configured
    example_built = built.returncode == 0 and os.path.exists(os.path.join(example, "librpa_example_sibling.dll"))
    check(example_built, "examples/sibling-plugin builds for Windows from the archive alone" +
          ("" if example_built else f": {built.stdout[-400:] + built.stderr[-400:]!r}"))
    with open(os.path.join(work, "packaged.json"), "w", encoding="utf-8") as file:
        json.dump({"steps": [connects[0], {"action": "Example.SessionInfo", "properties": {"session_name": "imap"}},
                             {"action": "Email.Disconnect", "properties": {"session_name": "imap"}}]}, file)
    done = subprocess.run([args.wine, packaged, "--plugins", windows_path(os.path.join(unpacked, folder, "lib", "rpa", "plugins")),
                           "--plugins", windows_path(example), "--vault", windows_path(vault), "--json", "run",
                           windows_path(os.path.join(work, "packaged.json"))],
                          capture_output=True, env=environment, timeout=300, cwd=unpacked)
    outputs.append(done.stdout + done.stderr)
    said = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines() if line.startswith("{")]
    check(done.returncode == 0 and len(said) == 3 and all(s["status"] == "ok" for s in said),
          f"the unpacked archive's host connects over IMAP ({[s['message'] for s in said]} {done.stderr[-300:]!r})")
    info = said[1]["result"] if len(said) > 1 and said[1].get("result") else {}
    check(info.get("alive") is True and info.get("session", {}).get("user") == "erin",
          "the example sibling reads the session through the archive's ABI" + ("" if info else f" ({said})"))
    listing = subprocess.run([args.wine, packaged, "actions"], capture_output=True, env=environment, timeout=300,
                             cwd=unpacked)
    listed = listing.stdout.decode("utf-8", errors="replace")
    # What it printed, when it fails (it failed once in a loaded CI run and passed on every rerun).
    check(listed.startswith("Email.Connect"), "the unpacked host finds its plugin in lib\\rpa\\plugins by itself" +
          ("" if listed.startswith("Email.Connect") else
           f" (exit {listing.returncode}: {listed[:300]!r} {listing.stderr.decode('utf-8', errors='replace')[-300:]!r})"))

    # 6. The designer: the one-time address, the page, the actions through its API.
    import http.cookiejar, re, socket, time, urllib.request
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    designer = subprocess.Popen(host + ["designer", "--port", str(port), "--bots", windows_path(work)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, cwd=work)
    try:
        first_line = designer.stdout.readline().decode("utf-8", errors="replace")
        address = re.search(r"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+", first_line)
        check(address is not None, f"the designer says its one-time address ({first_line.strip()[:80]})")
        if address:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            page = opener.open(address.group(0), timeout=60).read().decode("utf-8")
            token = re.search(r'name="designer-token" content="([0-9a-f]+)"', page)
            check(token is not None, "the designer's page carries its session token")
            if token:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/actions",
                                                 headers={"X-Designer-Token": token.group(1)})
                listed = json.loads(opener.open(request, timeout=60).read().decode("utf-8"))["actions"]
                names = {f"{a['package']}.{a['name']}" for a in listed}
                check({"Email.Connect", "Sibling.Fetch"} <= names,
                      "the designer's API lists the plugins' actions")
    finally:
        designer.terminate()
        try:
            designer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            designer.kill()
        outputs.append(designer.stdout.read() if designer.stdout else b"")

    # 7. proxy "system" on Windows: Internet Options, as WinHTTP reads them from the registry.
    #    The prefix is shared with the integration tests, whose proxy "system" case expects no
    #    Internet Options: every setting made here is taken away again, and its absence checked.
    connections = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections"

    def internet_options(settings):
        """Sets DefaultConnectionSettings to `settings` (bytes), or removes it (None); True when
        the registry then says so."""
        if settings is not None:
            return subprocess.run([args.wine, "reg", "add", connections, "/v", "DefaultConnectionSettings",
                                   "/t", "REG_BINARY", "/d", settings.hex(), "/f"], capture_output=True,
                                  env=environment).returncode == 0
        subprocess.run([args.wine, "reg", "delete", connections, "/v", "DefaultConnectionSettings", "/f"],
                       capture_output=True, env=environment)
        return subprocess.run([args.wine, "reg", "query", connections, "/v", "DefaultConnectionSettings"],
                              capture_output=True, env=environment).returncode != 0

    try:
        check_system_proxy(args, environment, run, connects, work, peer, internet_options)
    finally:
        check(internet_options(None), "Internet Options are left without a proxy setting")

    # 8 and 9. Windows sign-in through SSPI against the EWS peer. Wine's Kerberos package puts the
    # ticket into the default ticket cache: one of the test's own.
    passwords["alice (Kerberos)"] = open(peer["PEER_KRB_ALICE_PASSWORD_FILE"], encoding="utf-8").read()
    stored = run(["vault", "set", "Test", "alice (Kerberos)", "password"], passwords["alice (Kerberos)"].encode())
    check(stored.returncode == 0, "vault set Test/alice (Kerberos)/password")
    environment.update(KRB5_CONFIG=peer["PEER_KRB5_CONFIG"], KRB5CCNAME="FILE:" + os.path.join(top, "krb5cc"))
    # 8. Kerberos: Wine's Kerberos package runs MIT krb5 against the tests' KDC.
    # 9. NTLM: Wine's NTLM package runs Samba's ntlm_auth as its client (Debian's winbind package;
    #    no winbindd needed); the EWS peer accepts with gss-ntlmssp.
    for package, username, auth_type, said_as in (("kerberos", "CONTOSO.TEST\\alice", "negotiate", b"Kerberos"),
                                                  ("ntlm", "CONTOSO\\alice", "ntlm", b"NTLM")):
        def connect(password):
            return {"action": "Email.Connect", "properties": dict(
                session_name="windows sign-in", connection="ews", ews_url=peer["PEER_EWS_URL"], ca_file=ca,
                exchange_version="Exchange2016", username=username, password=password,
                auth_type=auth_type, timeout_seconds=30)}
        for name, bot in ((f"{package}.json", {"steps": [connect(vaulted("alice (Kerberos)")),
                                                         {"action": "Email.Disconnect",
                                                          "properties": {"session_name": "windows sign-in"}}]}),
                          (f"{package}-wrong.json", {"steps": [connect("Not-The-Password")]})):
            with open(os.path.join(work, name), "w", encoding="utf-8") as file:
                json.dump(bot, file)
        signed_in = run(["--verbose", "--json", "run", windows_path(os.path.join(work, f"{package}.json"))])
        said = [json.loads(line) for line in signed_in.stdout.decode("utf-8").splitlines() if line.startswith("{")]
        check(signed_in.returncode == 0 and said and said[0]["status"] == "ok" and
              said_as + b" through SSPI" in signed_in.stdout + signed_in.stderr,
              f"Windows sign-in: {said_as.decode()} through SSPI to EWS "
              f"({said[0]['message'] if said else signed_in.stderr[-300:]!r})")
        refused = run(["--json", "run", windows_path(os.path.join(work, f"{package}-wrong.json"))])
        said = [json.loads(line) for line in refused.stdout.decode("utf-8").splitlines() if line.startswith("{")]
        check(refused.returncode != 0 and said and said[0]["code"] == "authentication_failed",
              f"Windows sign-in ({said_as.decode()}) with a wrong password: authentication failed "
              f"({said[0]['message'] if said else ''})")

    # 10. A domain controller that never answers: Wine's Kerberos package (MIT krb5) would wait
    #     its own timeouts; the plugin waits for SSPI on a worker, under timeout_seconds.
    with socket.socket() as silent_tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent_udp:
        silent_tcp.bind(("127.0.0.1", 0))
        silent_tcp.listen(8)  # connections complete and are never answered
        silent_port = silent_tcp.getsockname()[1]
        silent_udp.bind(("127.0.0.1", silent_port))  # datagrams are never read
        silent_config = os.path.join(top, "krb5-silent.conf")
        with open(peer["PEER_KRB5_CONFIG"], encoding="utf-8") as file:
            config = file.read()
        with open(silent_config, "w", encoding="utf-8") as file:
            file.write(re.sub(r"kdc = 127\.0\.0\.1:\d+", f"kdc = 127.0.0.1:{silent_port}", config))
        with open(os.path.join(work, "silent-kdc.json"), "w", encoding="utf-8") as file:
            json.dump({"steps": [{"action": "Email.Connect", "properties": dict(
                session_name="silent", connection="ews", ews_url=peer["PEER_EWS_URL"], ca_file=ca,
                exchange_version="Exchange2016", username="CONTOSO.TEST\\alice",
                password=vaulted("alice (Kerberos)"), auth_type="negotiate", timeout_seconds=3)}]}, file)
        saved_environment = dict(environment)
        environment.update(KRB5_CONFIG=silent_config, KRB5CCNAME="FILE:" + os.path.join(top, "krb5cc-silent"))
        waited = run(["--json", "run", windows_path(os.path.join(work, "silent-kdc.json"))])
        environment.clear()
        environment.update(saved_environment)
    said = [json.loads(line) for line in waited.stdout.decode("utf-8").splitlines() if line.startswith("{")]
    check(said and said[0]["code"] == "timeout" and "Kerberos KDC" in said[0]["message"] and
          "within 3 seconds (timeout_seconds)" in said[0]["message"],
          f"a KDC that never answers: timeout at timeout_seconds ({said[0]['message'] if said else ''})")

    # No password in anything the host printed.
    printed = b"".join(outputs)
    check(not any(p.encode("utf-8") in printed for p in passwords.values()), "no password in any output")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a crash of the check is a failure, said plainly
        failures.append(f"the check stopped: {error!r}")
        print(f"FAILED  the check stopped: {error!r}")
        traceback.print_exc()
    # The failures again at the end: CI keeps the head and the tail of a long output, not the middle.
    print(f"{len(failures)} failed: " + "; ".join(f[:300] for f in failures) if failures else "all passed")
    sys.exit(1 if failures else 0)
