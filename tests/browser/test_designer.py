#!/usr/bin/env python3
"""The designer page in a real browser: Debian's headless Chromium driven over W3C WebDriver
(chromedriver), against `rpa-host designer` and the test Dovecot.

Loads the page, switches to Japanese and checks labels from the schema's x-ui, chooses Email
server / IMAP, picks the password from the vault, runs Test connection (status ok), adds the step,
saves the bot and runs the saved file with `rpa-host run`; switches to EWS and checks that the EWS
fields appear and the IMAP ones go; a request without the token is refused (403). The printed
address works once (a second load without the session cookie is a 403 page saying to restart the
designer); bot files stay inside --bots; a body over 1 MiB is 413; --port outside 1-65535 exits 2;
the listener is on 127.0.0.1 alone; no page load logs a console error; Connect goes into the bot
by double-click and by dragging, steps reorder by dragging; field errors wait for a touch or Test
connection. Screenshots of the page in English and Japanese go to --screenshots.

Usage: test_designer.py --rpa-host BIN --peer-env FILE --screenshots DIR
Every check raises AssertionError with what it saw; the exit status is 1 on the first failure.
"""
import argparse
import base64
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_env(path):
    values = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                key, _, value = line.rstrip("\n").partition("=")
                values[key] = value
    return values


class WebDriver:
    """The few W3C WebDriver commands the test needs, over plain HTTP."""

    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            # The identity peer's certificate is from the test CA, which this browser does not know.
            "args": ["--headless=new", "--no-sandbox", "--ignore-certificate-errors", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--lang=en-US", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise AssertionError("WebDriver %s %s: %s" % (method, path, error.read().decode()[:500]))

    def s(self, path, body=None, method="POST"):
        return self.call(method, "/session/%s%s" % (self.session, path), body)

    def go(self, url):
        self.s("/url", {"url": url})

    def find(self, css):
        found = self.s("/element", {"using": "css selector", "value": css})
        keys = [k for k in (found or {}) if k.startswith("element-6066-")] if isinstance(found, dict) else []
        if not keys:
            raise AssertionError("no element %s on the page: %r" % (css, found))
        return found[keys[0]]

    def click(self, css):
        self.s("/element/%s/click" % self.find(css), {})

    def type(self, css, text):
        element = self.find(css)
        self.s("/element/%s/clear" % element, {})
        self.s("/element/%s/value" % element, {"text": text + "\ue004"})  # Tab: change fires

    def text(self, css):
        return self.s("/element/%s/text" % self.find(css), method="GET")

    def js(self, script, *args):
        return self.s("/execute/sync", {"script": script, "args": list(args)})

    def exists(self, css):
        return self.js("return document.querySelector(arguments[0]) !== null", css)

    def wait(self, script, what, seconds=60, *args):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.js(script, *args):
                return
            time.sleep(0.2)
        raise AssertionError("waited %d s for %s" % (seconds, what))

    def select(self, css, value):
        self.js("const s = document.querySelector(arguments[0]); s.value = arguments[1];"
                "s.dispatchEvent(new Event('change'));", css, value)

    def screenshot(self, path):
        self.s("/window/rect", {"width": 1400, "height": 1900})  # the whole form, from the top
        self.js("window.scrollTo(0, 0)")
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("/screenshot", method="GET")))

    def console_errors(self):
        """The browser console's SEVERE entries since the last call (chromedriver's log endpoint)."""
        entries = self.s("/se/log", {"type": "browser"}) or []
        return [e.get("message", "") for e in entries if e.get("level") == "SEVERE"]

    def center(self, css):
        return self.js("const b = document.querySelector(arguments[0]).getBoundingClientRect();"
                       "return [Math.round(b.left + b.width / 2), Math.round(b.top + b.height / 2)];", css)

    def pointer(self, steps):
        """Real pointer input (W3C Actions): `steps` are ("move", x, y), ("down",), ("up",), ("pause", ms)."""
        actions = []
        for step in steps:
            if step[0] == "move":
                actions.append({"type": "pointerMove", "duration": 100, "x": step[1], "y": step[2], "origin": "viewport"})
            elif step[0] == "pause":
                actions.append({"type": "pause", "duration": step[1]})
            else:
                actions.append({"type": "pointer" + step[0].capitalize(), "button": 0})
        self.s("/actions", {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                                         "actions": actions}]})
        self.s("/actions", method="DELETE")

    def drag(self, source_css, target_css, above=True):
        (sx, sy), (tx, ty) = self.center(source_css), self.center(target_css)
        ty = ty - 4 if above else ty + 4
        self.pointer([("move", sx, sy), ("down",), ("move", sx + 12, sy + 6), ("move", tx, ty), ("pause", 50),
                      ("move", tx, ty + (1 if above else -1)), ("up",)])

    def double_click(self, css):
        x, y = self.center(css)
        self.pointer([("move", x, y), ("down",), ("up",), ("down",), ("up",)])

    def quit(self):
        self.call("DELETE", "/session/" + self.session)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def http(url, headers=None, data=None, method=None):
    """(status, headers, body) of one request, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def command_line_checks(rpa_host, env):
    """--port outside 1-65535 (or not a number) exits 2 with a message; --bots must be a folder."""
    for port in ("0", "70000", "65536", "abc", "-1", ""):
        ran = subprocess.run([rpa_host, "designer", "--port", port], env=env, capture_output=True, text=True,
                             timeout=30)
        check(ran.returncode == 2, "--port %r: exit %d, not 2 (%s)" % (port, ran.returncode, ran.stderr))
        check("--port must be a number from 1 to 65535" in ran.stderr or "designer takes" in ran.stderr,
              "--port %r: %r" % (port, ran.stderr))
    ran = subprocess.run([rpa_host, "designer", "--bots", "/nonexistent/bots"], env=env, capture_output=True,
                         text=True, timeout=30)
    check(ran.returncode == 2 and "is not a directory" in ran.stderr, "--bots nowhere: %r" % ran.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rpa-host", required=True)
    parser.add_argument("--peer-env", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    peer = read_env(args.peer_env)
    work = tempfile.mkdtemp(prefix="rpa-designer-")
    env = dict(os.environ, RPA_VAULT_PASSPHRASE="designer-test-passphrase")
    vault = os.path.join(work, "designer.vault")
    with open(peer["PEER_ALICE_PASSWORD_FILE"], "rb") as f:
        password = f.read()
    subprocess.run([args.rpa_host, "--vault", vault, "vault", "set", "Mail", "alice", "password"],
                   input=password, env=env, check=True, capture_output=True)

    command_line_checks(args.rpa_host, env)
    bots = os.path.join(work, "bots")
    os.mkdir(bots)
    designer = subprocess.Popen([args.rpa_host, "--vault", vault, "designer", "--bots", bots], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver_port = free_port()
    chromedriver = subprocess.Popen(["/usr/bin/chromedriver", "--port=%d" % driver_port],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = None
    try:
        line = designer.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+))/\?token=([0-9a-f]+)", line)
        check(match, "rpa-host designer printed no address: %r" % line)
        url, origin, token = match.group(0), match.group(1), match.group(3)
        port = int(match.group(2))

        # The listener is on 127.0.0.1 alone: another loopback address (or any other) is not served.
        with socket.socket() as other:
            other.settimeout(5)
            check(other.connect_ex(("127.0.0.2", port)) != 0, "the designer answers on 127.0.0.2")

        # Without the token (or with the wrong Host) nothing is served.
        for path, headers in (("/", {}), ("/api/actions", {}), ("/api/actions", {"X-Designer-Token": "0" * 48}),
                              ("/designer.js", {})):
            try:
                urllib.request.urlopen(urllib.request.Request(origin + path, headers=headers), timeout=10)
                raise AssertionError("%s was served without the token" % path)
            except urllib.error.HTTPError as error:
                check(error.code == 403, "%s without the token: HTTP %d, not 403" % (path, error.code))

        # A page of another name for this address (DNS rebinding) or of another site is refused.
        for headers in ({"Host": "attacker.example:%s" % origin.rsplit(":", 1)[1]},
                        {"Origin": "http://attacker.example"}):
            try:
                urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)
                raise AssertionError("served with %r" % headers)
            except urllib.error.HTTPError as error:
                check(error.code == 403, "%r: HTTP %d, not 403" % (headers, error.code))
        status, headers, _ = http(origin + "/favicon.ico")  # no error in any console for it
        check(status == 200 and headers.get("Content-Type") == "image/svg+xml", "favicon: HTTP %d" % status)

        for _ in range(100):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/status" % driver_port, timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        browser = WebDriver(driver_port)
        browser.go(url)
        browser.wait("return document.body.dataset.ready === 'true'", "the page to load its actions")
        check(browser.js("return location.search") == "", "the one-time token left the address bar")
        cookies = {c["name"]: c for c in browser.s("/cookie", method="GET")}
        session = cookies.get("designer_session")
        check(session and session["httpOnly"] and session.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict: %r" % cookies)
        check(session["value"] != token, "the cookie is a fresh secret, not the printed token")
        # The printed address is spent: without the cookie it is a 403 page saying what to do.
        status, headers, body = http(url)
        check(status == 403 and "start it again" in body, "a second load of the address: %d %r" % (status, body[:200]))
        check("Access-Control-Allow-Origin" not in headers, "no CORS header")
        # With the cookie (the same browser reloading it) it goes to the page.
        browser.go(url)
        browser.wait("return document.body.dataset.ready === 'true'", "the page to load again")
        with_cookie = {"Cookie": "designer_session=" + session["value"]}
        status, headers, body = http(origin + "/", with_cookie)
        check(status == 200 and "Access-Control-Allow-Origin" not in headers, "the page with the cookie: %d" % status)
        api_headers = dict(with_cookie, **{"X-Designer-Token": session["value"], "Content-Type": "application/json"})
        status, _, _ = http(origin + "/api/actions", {"X-Designer-Token": token, "Cookie": "designer_session=" + token})
        check(status == 403, "the spent token does not open the API: %d" % status)

        # Bot files stay in the bot folder; over 1 MiB is 413; no library's words reach the page.
        outside = os.path.join(work, "outside.json")
        os.symlink(work, os.path.join(bots, "up"))
        os.symlink(outside, os.path.join(bots, "link.json"))
        for name, why in (("/tmp/absolute.json", "is an absolute path"), ("../escape.json", "leads out of the bot folder"),
                          ("up/escape.json", "leads out of the bot folder"), ("link.json", "leads out of the bot folder"),
                          ("missing/x.json", "does not exist"), ("", "path is required")):
            status, _, body = http(origin + "/api/bot/save", api_headers,
                                   json.dumps({"path": name, "steps": []}).encode(), "POST")
            check(status == 400 and why in body, "save %r: %d %s" % (name, status, body))
        check(not os.path.exists(outside) and not os.path.exists("/tmp/absolute.json"), "nothing written outside")
        for name in ("/etc/passwd", "../designer.vault", "up/designer.vault"):
            status, _, body = http(origin + "/api/bot/run", api_headers, json.dumps({"path": name}).encode(), "POST")
            check(status == 400, "run %r: %d %s" % (name, status, body))
        big = json.dumps({"path": "big.json", "steps": [{"action": "Email.Disconnect",
                                                          "properties": {"session_name": "x" * (1 << 20)}}]}).encode()
        status, _, body = http(origin + "/api/bot/save", api_headers, big, "POST")
        check(status == 413 and "larger than 1 MiB" in body, "a 1 MiB body: %d %s" % (status, body[:200]))
        check(not os.path.exists(os.path.join(bots, "big.json")), "the big bot was not written")
        errors = browser.console_errors()
        check(not errors, "console errors on the page loads: %r" % errors)

        # Field errors wait: a new form shows none, though required fields are empty; Test
        # connection shows them; a field shows its own once it was touched.
        browser.click("#action-Email\\.Connect")
        browser.click("#input-connection-email_server")
        shown = browser.js("return [...document.querySelectorAll('.field .error')].map(e => e.textContent).join('')")
        check(shown == "", "errors on a form that was just opened: %r" % shown)
        browser.click("#button-test")
        check("is required" in browser.text("#error-host"), "Test connection shows the missing host")
        browser.click("#action-Email\\.Connect")
        browser.click("#input-connection-email_server")
        browser.type("#input-username", "")  # touched, left empty: required
        check("is required" in browser.text("#error-username"), "a touched empty field says so")
        check(browser.text("#error-host") == "", "an untouched field stays quiet")

        # Double-click and drag put Connect into the bot; steps reorder by dragging.
        browser.double_click("#action-Email\\.Connect")
        browser.wait("return document.getElementById('step-0') !== null", "the double-clicked step")
        check(browser.text("#step-0").startswith("Email.Connect"), "double-click adds Connect")
        check(browser.text("#button-add") == "Done", "the form edits the new step")
        browser.click("#input-connection-email_server")
        browser.type("#input-session_name", "Dragged")
        check("Dragged" in browser.text("#step-0"), "the step follows its form")
        browser.drag("#action-Email\\.Disconnect", "#step-0", above=True)
        browser.wait("return document.getElementById('step-1') !== null", "the dragged step")
        check(browser.text("#step-0").startswith("Email.Disconnect"), "dragged above the first step: %r" % browser.text("#step-0"))
        browser.drag("#step-name-0", "#step-1", above=False)
        check(browser.text("#step-0").startswith("Email.Connect") and browser.text("#step-1").startswith("Email.Disconnect"),
              "reordered by dragging: %r, %r" % (browser.text("#step-0"), browser.text("#step-1")))
        browser.drag("#action-Email\\.Connect", "#steps-hint", above=False)
        check(browser.exists("#step-2") and browser.text("#step-2").startswith("Email.Connect"), "dragged to the end")
        for _ in range(3):
            browser.click("#step-remove-0")
        check(not browser.exists("#step-0"), "the list is empty again")

        # Japanese: the schema's own ja labels.
        browser.select("#language", "ja")
        check(browser.text("#action-Email\\.Connect") == "接続", "palette label in Japanese")
        browser.click("#action-Email\\.Connect")
        check(browser.text("#label-connection").startswith("接続先"), "the connection label in Japanese")
        browser.click("#input-connection-email_server")
        check(browser.text("#label-host").startswith("ホスト"), "the host label in Japanese")
        browser.screenshot(os.path.join(args.screenshots, "designer-ja.png"))
        browser.select("#language", "en")

        # A provider preset fills host and port and says the provider's sign-in rule.
        browser.click("#action-Email\\.Connect")
        browser.click("#input-connection-email_server")
        browser.click("#input-protocol-IMAP")
        browser.js("const s = document.getElementById('preset'); s.value = [...s.options].find(o => o.text === 'Gmail').value;"
                   "s.dispatchEvent(new Event('change'));")
        check(browser.js("return document.getElementById('input-host').value") == "imap.gmail.com", "Gmail's host")
        check(browser.js("return document.getElementById('input-port').value") == "993", "Gmail's IMAP port")
        check("app password" in browser.text("#preset-sign-in"), "Gmail's sign-in rule: %r" % browser.text("#preset-sign-in"))

        # Email server / IMAP with the password from the vault.
        browser.click("#action-Email\\.Connect")
        browser.click("#input-connection-email_server")
        browser.click("#input-protocol-IMAP")
        check(browser.exists("#field-host") and not browser.exists("#field-ews_url"), "IMAP fields only")
        browser.click("#show-advanced")
        browser.type("#input-session_name", "Designer")
        browser.type("#input-host", "localhost")
        browser.type("#input-port", peer["PEER_IMAPS_PORT"])
        browser.click("#input-tls_mode-implicit") if browser.exists("#input-tls_mode-implicit") \
            else browser.select("#input-tls_mode", "implicit")
        browser.type("#input-ca_file", peer["PEER_CA_FILE"])
        browser.type("#input-username", "alice")
        browser.select("#mode-password", "credential")
        browser.select("#cred-password-locker", "Mail")
        browser.select("#cred-password-credential", "alice")
        browser.select("#cred-password-attribute", "password")
        browser.click("#button-test")
        browser.wait("return /^(ok|error)/.test(document.getElementById('outcome').textContent)",
                     "Test connection's outcome")
        outcome = browser.text("#outcome")
        check(outcome.startswith("ok (ok)"), "Test connection: %s" % outcome)
        browser.screenshot(os.path.join(args.screenshots, "designer-en.png"))

        # A wrong value is named at its field, before anything is sent.
        browser.type("#input-port", "70000")
        check("Port" in browser.text("#error-port"), "the port's error: %r" % browser.text("#error-port"))
        browser.type("#input-port", peer["PEER_IMAPS_PORT"])
        check(browser.text("#error-port") == "", "the port's error is gone")

        # Add, save, and run the saved file with rpa-host run.
        browser.click("#button-add")
        check(browser.exists("#step-0"), "the step is in the bot list")
        bot = os.path.join(bots, "designed-bot.json")
        browser.type("#bot-path", "designed-bot.json")
        browser.click("#save")
        browser.wait("return document.getElementById('run-output').textContent.length > 0", "Save")
        check(os.path.exists(bot), "the bot file was written: %s" % browser.text("#run-output"))
        with open(bot) as f:
            saved = json.load(f)
        step = saved["steps"][0]
        check(step["action"] == "Email.Connect", "the saved step's action")
        check(step["properties"]["password"] == {"credential": {"locker": "Mail", "name": "alice",
                                                                "attribute": "password"}},
              "the password is saved as a credential reference: %r" % step["properties"]["password"])
        check(password.decode() not in open(bot).read(), "no password in the bot file")
        ran = subprocess.run([args.rpa_host, "--vault", vault, "run", bot], env=env, capture_output=True, text=True)
        check(ran.returncode == 0, "rpa-host run of the saved bot: %s %s" % (ran.stdout, ran.stderr))
        check("Email.Connect: ok" in ran.stdout, "the run's step line: %r" % ran.stdout)
        # A typed password is saved only after the warning that offers the vault instead.
        browser.click("#action-Email\\.Disconnect")
        browser.type("#input-session_name", "Designer")
        browser.click("#button-add")
        browser.click("#step-up-1")  # Disconnect first ...
        check(browser.text("#step-0").startswith("Email.Disconnect"), "reordered: %r" % browser.text("#step-0"))
        browser.click("#step-down-0")  # ... and back
        check(browser.text("#step-1").startswith("Email.Disconnect"), "reordered back")
        browser.click("#action-Email\\.Connect")
        browser.click("#input-connection-email_server")
        browser.click("#input-protocol-IMAP")
        browser.type("#input-host", "localhost")
        browser.type("#input-username", "alice")
        browser.type("#input-password", "Typed-Secret-Value")
        browser.click("#button-add")
        check(browser.exists("#step-2"), "a third step")
        typed = os.path.join(bots, "typed-bot.json")
        browser.type("#bot-path", "typed-bot.json")
        browser.click("#save")
        check(not browser.js("return document.getElementById('save-warning').hidden"), "the typed-secret warning")
        check(not os.path.exists(typed), "nothing saved before the warning is answered")
        browser.click("#step-remove-2")  # take the typed password out instead
        check(not browser.exists("#step-2"), "the step is removed")
        browser.type("#bot-path", "designed-bot.json")
        browser.click("#save")
        browser.wait("return document.getElementById('run-output').textContent.indexOf('designed-bot') >= 0", "Save")
        browser.click("#run")
        browser.wait("return /\\[1\\]/.test(document.getElementById('run-output').textContent)", "Run")
        check("Email.Connect: ok" in browser.text("#run-output"), "Run in the page: %s" % browser.text("#run-output"))

        # EWS: its fields appear, the IMAP ones go.
        browser.click("#input-connection-ews")
        check(browser.exists("#field-ews_url") or browser.exists("#field-domain"), "EWS fields appear")
        check(not browser.exists("#field-host") and not browser.exists("#field-protocol"), "IMAP fields go")

        # Authorize (EWS, OAuth2): the sign-in page opens in this browser from the page's link; then
        # Test connection signs in with what Authorize kept in the vault, without a password.
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers", "identity",
                               "directory.json")) as f:
            directory = json.load(f)
        browser.click("#action-Email\\.Connect")
        browser.click("#input-connection-ews")
        if not browser.js("return document.getElementById('show-advanced').checked"):
            browser.click("#show-advanced")
        browser.type("#input-session_name", "Exchange")
        browser.type("#input-username", "alice@contoso.test")
        browser.click("#input-auth_type-oauth2")
        browser.type("#input-client_id", directory["public_clients"][0])
        browser.type("#input-tenant_id", directory["tenant_domain"])
        browser.type("#input-authority", peer["PEER_AUTHORITY"])
        browser.type("#input-ews_url", peer["PEER_EWS_URL"])
        browser.type("#input-ca_file", peer["PEER_CA_FILE"])
        browser.click("#button-authorize")
        browser.wait("return !document.getElementById('sign-in-link').hidden", "the sign-in link")
        check("/oauth2/v2.0/authorize?" in browser.js("return document.getElementById('sign-in-link').href"),
              "the link is the identity platform's authorize address")
        browser.click("#sign-in-link")  # a new tab: sign-in, then the redirect back to the plugin
        browser.wait("return /^(ok|error)/.test(document.getElementById('outcome').textContent)", "Authorize")
        check(browser.text("#outcome").startswith("ok (ok)"), "Authorize: %s" % browser.text("#outcome"))
        check(browser.js("return document.getElementById('sign-in-link').hidden"), "the link goes away")
        browser.click("#button-test")
        browser.wait("return /^(ok|error)/.test(document.getElementById('outcome').textContent)",
                     "Test connection after Authorize")
        check(browser.text("#outcome").startswith("ok (ok)"), "EWS after Authorize: %s" % browser.text("#outcome"))
        errors = browser.console_errors()
        check(not errors, "console errors: %r" % errors)
        print("designer in Chromium: all checks passed")
        return 0
    finally:
        if browser:
            try:
                browser.quit()
            except Exception:
                pass
        chromedriver.terminate()
        designer.terminate()
        try:
            designer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            designer.kill()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as failure:
        print("FAILED: %s" % failure)
        sys.exit(1)
