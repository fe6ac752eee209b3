#!/usr/bin/env bash
# A throwaway Dovecot for the integration tests and the demo: loopback only, high ports, a CA and
# server certificate generated on every start, three instances that differ in TLS policy.
#
#   dovecot-peer.sh start STATE_FILE [BASE_PORT]   start; write shell variables to STATE_FILE
#   dovecot-peer.sh stop STATE_FILE                stop and delete everything start made
#
# Instances (port = BASE_PORT + offset):
#   secure  ssl=yes, no passwords in clear text   imap +1 (STARTTLS), imaps +2, pop3 +3 (STLS), pop3s +4
#   plain   ssl=no, clear-text passwords allowed  imap +11, pop3 +13
#   strict  ssl=no, clear-text passwords refused  imap +21, pop3 +23 on 127.0.0.2 (LOGINDISABLED,
#           no STARTTLS)
#   oauth   ssl=yes, only XOAUTH2 and OAUTHBEARER   imaps +52, pop3s +54; tokens checked by RFC 7662
#           introspection at the identity peer
#   xoauth  as oauth, but XOAUTH2 alone             imaps +62, pop3s +64
# Beside Dovecot, the same CA serves the other test peers:
#   identity  tests/peers/identity (oauth2-mock-server, Entra-shaped)   https://localhost:+31
#   ews       tests/peers/ews (EWS and Autodiscover by Microsoft's documents)  https://localhost:+41
#   dns       tests/peers/dns (SRV _autodiscover._tcp. contoso.test, redirect.test, redirecturl.test,
#             loop.test -> the EWS peer; hostile.test -> localhost:+81, where the tests' own
#             HostileServer listens)  udp 127.0.0.1:+71
# Users (passwd-file): alice / "correct horse battery staple", bob / a password with a double
# quote, a backslash and non-ASCII letters (exercises quoting and IMAP literals).
set -euo pipefail

command=${1:?usage: dovecot-peer.sh start|stop STATE_FILE [BASE_PORT]}
state_file=${2:?usage: dovecot-peer.sh start|stop STATE_FILE [BASE_PORT]}
base_port=${3:-24100}

stop() {
  [ -f "$state_file" ] || return 0
  # shellcheck disable=SC1090
  . "$state_file"
  local pids="" pid
  for instance in secure plain strict oauth xoauth; do
    pid_file="$PEER_DIR/$instance/run/master.pid"
    [ -f "$pid_file" ] && pids="$pids $(cat "$pid_file")"
  done
  for pid_file in "$PEER_DIR"/identity.pid "$PEER_DIR"/ews.pid "$PEER_DIR"/ews-skewed.pid "$PEER_DIR"/graph.pid "$PEER_DIR"/dns.pid \
                  "$PEER_DIR"/http-proxy.pid "$PEER_DIR"/http-proxy-auth.pid "$PEER_DIR"/socks.pid \
                  "$PEER_DIR"/socks-auth.pid "$PEER_DIR"/plain-http.pid "$PEER_DIR"/krb5/kdc.pid; do
    [ -f "$pid_file" ] && pids="$pids $(cat "$pid_file")"
  done
  "$(dirname "$0")/../smtp/smtp-peer.sh" stop "$PEER_DIR"  # Postfix and the submission Dovecot
  for pid_file in "$PEER_DIR"/smtp/dovecot/run/master.pid "$PEER_DIR"/smtp/postfix/queue/pid/master.pid; do
    [ -f "$pid_file" ] && pids="$pids $(cat "$pid_file")"
  done
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
  case "$PEER_DIR" in /tmp/rpa-dovecot.*) rm -rf "$PEER_DIR" ;; esac
  rm -f "$state_file"
}

if [ "$command" = stop ]; then stop; exit 0; fi
[ "$command" = start ] || { echo "unknown command $command" >&2; exit 2; }
mkdir -p "$(dirname "$state_file")"
stop  # a previous run's leftovers

command -v dovecot >/dev/null || { echo "dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d)" >&2; exit 1; }

# Another peer (a demo, a second build) may hold the ports: move up 100 at a time until all are free.
port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
ports_free() {
  local base=$1 offset
  for offset in 1 2 3 4 5 6 7 8 11 13 31 41 43 52 54 62 64 71 81 91 92 93 94 95 97 98; do port_busy 127.0.0.1 $((base + offset)) && return 1; done
  for offset in 21 23; do port_busy 127.0.0.2 $((base + offset)) && return 1; done
  return 0
}
for _ in $(seq 20); do ports_free "$base_port" && break; base_port=$((base_port + 100)); done
ports_free "$base_port" || { echo "no free port range for dovecot" >&2; exit 1; }

ipv6_loopback=no
python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null && ipv6_loopback=yes

dir=$(mktemp -d /tmp/rpa-dovecot.XXXXXX)
chmod 755 "$dir"

# --- certificates: a trusted CA, a server certificate for "localhost" only (so 127.0.0.1 fails
# the host name check), and a second CA that signed nothing we serve (the untrusted CA).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=RPA Test CA" \
  -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Some Other CA" \
  -keyout "$dir/other-ca.key" -out "$dir/other-ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
# The app-only certificate credentials: one registered at the identity peer for its certificate
# client, one that is not (each file holds the certificate and its unencrypted key, as the plugin's
# client_certificate expects).
for app in app other-app; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=RPA Email $app" \
    -keyout "$dir/$app.key" -out "$dir/$app-cert.pem" 2>/dev/null
  cat "$dir/$app-cert.pem" "$dir/$app.key" > "$dir/$app-credential.pem"
done
chmod 644 "$dir"/*.pem
chmod 600 "$dir"/*.key "$dir"/*-credential.pem

# --- users and mailboxes
alice_password='correct horse battery staple'
bob_password='s3cr"et\wörd'
carol_password='carol reconnects'  # only the reconnect tests use carol: they kick her sessions
dave_password='dave reads'  # the mailbox tests: dave's mail is seeded (seed-mail.py) and only read
erin_password='erin changes'  # the mailbox tests that change mail: each appends its own first
frank_password='frank benchmarks'  # the mailbox benchmark: the 1,000 bulk messages in his INBOX
heidi_password='heidi reconnects'  # the mailbox reconnect test kicks her sessions (carol's are the other's)
grace_password='grace sends'  # the SMTP tests: grace sends, and reads what arrives in her INBOX
ivan_password='ivan waits'  # the watch tests: waits for new mail; they kick his sessions
# The watch test of a server without IDLE: once judy is signed in, Dovecot offers her IMAP4rev1 and
# nothing else (userdb_imap_capability, a userdb field that overrides the setting), so waits poll.
judy_password='judy polls'
robot_password='robot opens any mailbox'  # a master user: signs in as itself, opens another user's mailbox
if [ "$(id -u)" = 0 ]; then
  mail_user=nobody; mail_group=$(id -gn nobody)
  login_user=dovenull; internal_user=dovecot
else
  mail_user=$(id -un); mail_group=$(id -gn)
  login_user=$mail_user; internal_user=$mail_user
fi
mail_uid=$(id -u "$mail_user"); mail_gid=$(getent group "$mail_group" | cut -d: -f3)
printf 'alice:{PLAIN}%s\nbob:{PLAIN}%s\ncarol:{PLAIN}%s\ndave:{PLAIN}%s\nerin:{PLAIN}%s\nfrank:{PLAIN}%s\nheidi:{PLAIN}%s\ngrace:{PLAIN}%s\nivan:{PLAIN}%s\njudy:{PLAIN}%s::::::userdb_imap_capability=IMAP4rev1\n' \
  "$alice_password" "$bob_password" "$carol_password" "$dave_password" "$erin_password" "$frank_password" \
  "$heidi_password" "$grace_password" "$ivan_password" "$judy_password" > "$dir/users"
chmod 644 "$dir/users"
printf 'robot:{PLAIN}%s\n' "$robot_password" > "$dir/masters"
chmod 644 "$dir/masters"
mkdir -p "$dir/home/alice" "$dir/home/bob" "$dir/home/carol" "$dir/home/dave" "$dir/home/erin" "$dir/home/frank" "$dir/home/heidi" "$dir/home/grace" "$dir/home/ivan" "$dir/home/judy"
python3 "$(dirname "$0")/seed-mail.py" "$dir/seed"
mkdir -p "$dir/home/dave/Maildir/.Bulk" "$dir/home/frank/Maildir"
cp -r "$dir/seed/bulk/cur" "$dir/seed/bulk/new" "$dir/seed/bulk/tmp" "$dir/home/frank/Maildir/"
mv "$dir/seed/bulk/cur" "$dir/seed/bulk/new" "$dir/seed/bulk/tmp" "$dir/home/dave/Maildir/.Bulk/"
chown -R "$mail_uid:$mail_gid" "$dir/home"

login_service() {  # protocol clear_port [tls_port]: the listeners of <protocol>-login
  local protocol=$1 clear_port=$2 tls_port=${3:-}
  echo "service $protocol-login {"
  echo "  inet_listener $protocol {"
  echo "    port = $clear_port"
  echo "  }"
  echo "  inet_listener ${protocol}s {"
  echo "    port = ${tls_port:-0}"
  [ -n "$tls_port" ] && echo "    ssl = yes"
  echo "  }"
  [ "$(id -u)" = 0 ] || echo "  chroot ="
  # Dovecot's "high-performance" login mode: one long-lived login process serves every
  # connection, so the TLS session tickets it issues are accepted on the next connection (with
  # the default one-process-per-connection mode each process has its own ticket key, and no
  # client can resume). The TLS resumption tests need this; production servers resume.
  echo "  service_count = 0"
  echo "  process_min_avail = 1"
  echo "}"
}

passdb_config() {  # name: the password file, or (oauth) token introspection
  if [ "$1" = oauth ] || [ "$1" = xoauth ]; then
    local mechanisms="xoauth2 oauthbearer"
    [ "$1" = xoauth ] && mechanisms="xoauth2"
    echo "auth_mechanisms = $mechanisms"
    # One passdb per protocol, each accepting only tokens for it: Exchange Online's audience
    # and the protocol's own delegated scope (an IMAP token is refused by POP3 and the reverse,
    # as Microsoft and Google refuse them).
    for protocol in imap pop3; do
      echo "protocol $protocol {"
      echo "  passdb {"
      echo "    driver = oauth2"
      echo "    mechanisms = $mechanisms"
      echo "    args = $dir/oauth2-$protocol.conf"
      echo "  }"
      echo "}"
    done
  else
    echo "auth_mechanisms = plain"
    # Master users (doc.dovecot.org "Master users"): robot signs in with its own password and
    # names the mailbox to open as SASL PLAIN's authorization identity; result_success = continue
    # makes Dovecot check that the mailbox's user exists.
    echo "passdb {"
    echo "  driver = passwd-file"
    echo "  master = yes"
    echo "  args = scheme=PLAIN username_format=%u $dir/masters"
    echo "  result_success = continue"
    echo "}"
    echo "passdb {"
    echo "  driver = passwd-file"
    echo "  args = scheme=PLAIN username_format=%u $dir/users"
    echo "}"
  fi
}

write_config() {  # instance address ssl disable_plaintext_auth imap_port pop3_port [imaps_port pop3s_port]
  local name=$1 address=$2 ssl=$3 strict=$4 imap=$5 pop3=$6 imaps=${7:-} pop3s=${8:-}
  local d="$dir/$name"
  mkdir -p "$d/run" "$d/state"
  {
    echo "instance_name = rpa-test-$name"
    echo "base_dir = $d/run"
    echo "state_dir = $d/state"
    # 127.0.0.1, and ::1 where there is IPv6 loopback: a Debian /etc/hosts names both for
    # localhost, and microsocks (socks5h) connects to the first address it resolves.
    if [ "$address" = 127.0.0.1 ] && [ "$ipv6_loopback" = yes ]; then
      echo "listen = 127.0.0.1, ::1"
    else
      echo "listen = $address"
    fi
    echo "protocols = imap pop3"
    echo "log_path = $d/dovecot.log"
    echo "ssl = $ssl"
    if [ "$ssl" = yes ]; then
      echo "ssl_cert = <$dir/server.pem"
      echo "ssl_key = <$dir/server.key"
      echo "ssl_min_protocol = TLSv1.2"
    fi
    echo "disable_plaintext_auth = $strict"
    echo "auth_failure_delay = 0"
    echo "default_login_user = $login_user"
    echo "default_internal_user = $internal_user"
    echo "first_valid_uid = $mail_uid"
    echo "last_valid_uid = $mail_uid"
    echo "mail_location = maildir:~/Maildir"
    passdb_config "$name"
    echo "userdb {"
    echo "  driver = static"
    echo "  args = uid=$mail_uid gid=$mail_gid home=$dir/home/%u"
    echo "}"
    cat <<'NAMESPACE'
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    auto = subscribe
    special_use = \Sent
  }
  mailbox Drafts {
    auto = subscribe
    special_use = \Drafts
  }
  mailbox Trash {
    auto = subscribe
    special_use = \Trash
  }
  mailbox Junk {
    auto = subscribe
    special_use = \Junk
  }
  mailbox Archive {
    auto = create
    special_use = \Archive
  }
  mailbox "Project X" {
    auto = create
  }
  mailbox 日本語 {
    auto = create
  }
}
NAMESPACE
    login_service imap "$imap" "$imaps"
    login_service pop3 "$pop3" "$pop3s"
    # No per-IP auth penalty (doc.dovecot.org "Authentication penalty"): every test client is
    # 127.0.0.1, and the tests of refused logins would slow each other down by up to 15 s.
    echo "service anvil {"
    echo "  unix_listener anvil-auth-penalty {"
    echo "    mode = 0"
    echo "  }"
    echo "}"
    echo "protocol imap {"
    echo "  mail_max_userip_connections = 200"
    echo "}"
    echo "protocol pop3 {"
    echo "  mail_max_userip_connections = 200"
    # Dovecot marks what POP3 downloads \Seen by default; the mailbox tests read dave's seeded
    # mail over both protocols and check its flags over IMAP, in any order.
    echo "  pop3_no_flag_updates = yes"
    echo "}"
  } > "$d/dovecot.conf"
  # Detach from our stdout/stderr: ctest waits for every holder of its pipes to close them.
  dovecot -c "$d/dovecot.conf" </dev/null >>"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; exit 1; }
}

cat > "$state_file" <<STATE
PEER_DIR=$dir
PEER_CA_FILE=$dir/ca.pem
PEER_OTHER_CA_FILE=$dir/other-ca.pem
PEER_IMAP_STARTTLS_PORT=$((base_port + 1))
PEER_IMAPS_PORT=$((base_port + 2))
PEER_POP3_STLS_PORT=$((base_port + 3))
PEER_POP3S_PORT=$((base_port + 4))
PEER_PLAIN_IMAP_PORT=$((base_port + 11))
PEER_PLAIN_POP3_PORT=$((base_port + 13))
PEER_STRICT_HOST=127.0.0.2
PEER_STRICT_IMAP_PORT=$((base_port + 21))
PEER_STRICT_POP3_PORT=$((base_port + 23))
PEER_ALICE_USER=alice
PEER_BOB_USER=bob
STATE
# Passwords go to files, not to the state (which tests print on failure) or a command line.
printf '%s' "$alice_password" > "$dir/alice.password"
printf '%s' "$bob_password" > "$dir/bob.password"
printf '%s' "$carol_password" > "$dir/carol.password"
printf '%s' "$dave_password" > "$dir/dave.password"
printf '%s' "$erin_password" > "$dir/erin.password"
printf '%s' "$frank_password" > "$dir/frank.password"
printf '%s' "$heidi_password" > "$dir/heidi.password"
printf '%s' "$robot_password" > "$dir/robot.password"
printf '%s' "$grace_password" > "$dir/grace.password"
printf '%s' "$ivan_password" > "$dir/ivan.password"
printf '%s' "$judy_password" > "$dir/judy.password"
echo "PEER_ALICE_PASSWORD_FILE=$dir/alice.password" >> "$state_file"
echo "PEER_BOB_PASSWORD_FILE=$dir/bob.password" >> "$state_file"
echo "PEER_CAROL_PASSWORD_FILE=$dir/carol.password" >> "$state_file"
echo "PEER_DAVE_PASSWORD_FILE=$dir/dave.password" >> "$state_file"
echo "PEER_ERIN_PASSWORD_FILE=$dir/erin.password" >> "$state_file"
echo "PEER_FRANK_PASSWORD_FILE=$dir/frank.password" >> "$state_file"
echo "PEER_HEIDI_PASSWORD_FILE=$dir/heidi.password" >> "$state_file"
echo "PEER_IVAN_PASSWORD_FILE=$dir/ivan.password" >> "$state_file"
echo "PEER_JUDY_PASSWORD_FILE=$dir/judy.password" >> "$state_file"
echo "PEER_ROBOT_PASSWORD_FILE=$dir/robot.password" >> "$state_file"
echo "PEER_GRACE_PASSWORD_FILE=$dir/grace.password" >> "$state_file"
echo "PEER_SEED_DIR=$dir/seed" >> "$state_file"

identity_dir=$(cd "$(dirname "$0")/../identity" && pwd)
ews_dir=$(cd "$(dirname "$0")/../ews" && pwd)
graph_dir=$(cd "$(dirname "$0")/../graph" && pwd)
dns_dir=$(cd "$(dirname "$0")/../dns" && pwd)
dns_port=$((base_port + 71))
identity_port=$((base_port + 31))
ews_port=$((base_port + 41))
graph_port=$((base_port + 43))
cat >> "$state_file" <<STATE
PEER_IDENTITY_PORT=$identity_port
PEER_AUTHORITY=https://localhost:$identity_port
PEER_IDENTITY_DIRECTORY=$identity_dir/directory.json
PEER_APP_CREDENTIAL=$dir/app-credential.pem
PEER_OTHER_APP_CREDENTIAL=$dir/other-app-credential.pem
PEER_EWS_PORT=$ews_port
PEER_EWS_URL=https://localhost:$ews_port/EWS/Exchange.asmx
PEER_GRAPH_URL=https://localhost:$graph_port
PEER_GRAPH_MAILBOXES=$graph_dir/mailboxes.json
PEER_OAUTH_IMAPS_PORT=$((base_port + 52))
PEER_OAUTH_POP3S_PORT=$((base_port + 54))
PEER_XOAUTH_IMAPS_PORT=$((base_port + 62))
PEER_XOAUTH_POP3S_PORT=$((base_port + 64))
PEER_EWS_MAILBOXES=$ews_dir/mailboxes.json
PEER_DNS_SERVER=127.0.0.1:$dns_port
PEER_HOSTILE_PORT=$((base_port + 81))
STATE

# If a start below fails, stop() finds the state file and cleans up what did start.
trap 'status=$?; [ "$status" = 0 ] || stop; exit "$status"' EXIT

# --- the identity peer (Node, oauth2-mock-server) and the EWS peer (Python), detached like Dovecot
[ -d "$identity_dir/node_modules/oauth2-mock-server" ] ||
  { echo "the identity peer's packages are missing: run (cd $identity_dir && npm ci)" >&2; exit 1; }
node "$identity_dir/identity-server.mjs" --port "$identity_port" --cert "$dir/server.pem" \
  --key "$dir/server.key" --app-cert "$dir/app-cert.pem" --ready "$dir/identity.ready" </dev/null >"$dir/identity.log" 2>&1 &
echo $! > "$dir/identity.pid"
# --- an MIT Kerberos KDC on loopback (realm CONTOSO.TEST, port base+97), for EWS Windows sign-in
# (Negotiate): the user alice (password in a file, and a keytab with the same key for kinit -k),
# and the service HTTP/localhost whose keytab the EWS peer accepts with. Test data only.
krb="$dir/krb5"
mkdir -p "$krb"
kdc_port=$((base_port + 97))
cat > "$krb/krb5.conf" <<KRB5
[libdefaults]
  default_realm = CONTOSO.TEST
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
[realms]
  CONTOSO.TEST = {
    kdc = 127.0.0.1:$kdc_port
  }
[domain_realm]
  localhost = CONTOSO.TEST
KRB5
cat > "$krb/kdc.conf" <<KDC
[kdcdefaults]
  kdc_ports = $kdc_port
  kdc_tcp_ports = $kdc_port
[realms]
  CONTOSO.TEST = {
    database_name = $krb/principal
    key_stash_file = $krb/stash
    acl_file = $krb/kadm5.acl
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
  }
[logging]
  kdc = FILE:$krb/kdc.log
KDC
krb_alice_password='alice-kerberos-pass-word'
printf '%s' "$krb_alice_password" > "$krb/alice.password"
(
  export KRB5_CONFIG="$krb/krb5.conf" KRB5_KDC_PROFILE="$krb/kdc.conf"
  kdb5_util create -s -r CONTOSO.TEST -P "kdc-master-$(date +%s%N)" >/dev/null 2>&1
  # Preauthentication required, as Active Directory requires it by default.
  kadmin.local -r CONTOSO.TEST -q "addprinc +requires_preauth -pw $krb_alice_password alice" >/dev/null 2>&1
  kadmin.local -r CONTOSO.TEST -q "ktadd -norandkey -k $krb/alice.keytab alice" >/dev/null 2>&1
  kadmin.local -r CONTOSO.TEST -q "addprinc -randkey HTTP/localhost" >/dev/null 2>&1
  kadmin.local -r CONTOSO.TEST -q "ktadd -k $krb/http.keytab HTTP/localhost" >/dev/null 2>&1
  # A service whose tickets last 4 minutes (spn HTTP/shortlived; the EWS peer has its key too):
  # each request finds its ticket running out and the plugin gets a new one.
  kadmin.local -r CONTOSO.TEST -q "addprinc -randkey -maxlife \"4 minutes\" HTTP/shortlived" >/dev/null 2>&1
  kadmin.local -r CONTOSO.TEST -q "ktadd -k $krb/http.keytab HTTP/shortlived" >/dev/null 2>&1
)
KRB5_CONFIG="$krb/krb5.conf" KRB5_KDC_PROFILE="$krb/kdc.conf" \
  krb5kdc -n -r CONTOSO.TEST </dev/null >"$krb/kdc.out" 2>&1 &
echo $! > "$krb/kdc.pid"
for i in $(seq 100); do
  port_busy 127.0.0.1 "$kdc_port" && break
  [ "$i" = 100 ] && { echo "the KDC did not start; its log:" >&2; cat "$krb/kdc.log" "$krb/kdc.out" >&2; exit 1; }
  sleep 0.1
done
cat >> "$state_file" <<STATE
PEER_KRB5_CONFIG=$krb/krb5.conf
PEER_KRB_REALM=CONTOSO.TEST
PEER_KRB_KDC=127.0.0.1:$kdc_port
PEER_KRB_ALICE_PASSWORD_FILE=$krb/alice.password
PEER_KRB_ALICE_KEYTAB=$krb/alice.keytab
STATE

# Debian's python3: python3-gssapi is installed for it (another python3 may come first in PATH).
# NTLM: the same account, by its NetBIOS domain and by its DNS domain (Active Directory takes both).
printf 'CONTOSO:alice:%s\nCONTOSO.TEST:alice:%s\n' "$krb_alice_password" "$krb_alice_password" > "$krb/ntlm-users"
KRB5_CONFIG="$krb/krb5.conf" KRB5_KTNAME="$krb/http.keytab" NTLM_USER_FILE="$krb/ntlm-users" \
/usr/bin/python3 "$ews_dir/ews-server.py" --port "$ews_port" --cert "$dir/server.pem" --key "$dir/server.key" \
  --ca "$dir/ca.pem" --authority "https://localhost:$identity_port" \
  --directory "$ews_dir/mailboxes.json" --seed "$dir/seed/inbox" \
  --seed-bulk "$dir/home/frank/Maildir/cur" --ready "$dir/ews.ready" </dev/null >"$dir/ews.log" 2>&1 &
echo $! > "$dir/ews.pid"
# The same EWS server with its clock 10 minutes behind (libfaketime), the domain's and this
# machine's right: its Kerberos acceptor refuses authenticators as too far off (KRB_AP_ERR_SKEW).
KRB5_CONFIG="$krb/krb5.conf" KRB5_KTNAME="$krb/http.keytab" FAKETIME="-10m" \
LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
/usr/bin/python3 "$ews_dir/ews-server.py" --port "$((base_port + 98))" --cert "$dir/server.pem" --key "$dir/server.key" \
  --ca "$dir/ca.pem" --authority "https://localhost:$identity_port" \
  --directory "$ews_dir/mailboxes.json" --seed "$dir/seed/inbox" \
  --seed-bulk "$dir/home/frank/Maildir/cur" --ready "$dir/ews-skewed.ready" </dev/null >"$dir/ews-skewed.log" 2>&1 &
echo $! > "$dir/ews-skewed.pid"
echo "PEER_EWS_SKEWED_URL=https://localhost:$((base_port + 98))/EWS/Exchange.asmx" >> "$state_file"
python3 "$graph_dir/graph-server.py" --port "$graph_port" --cert "$dir/server.pem" --key "$dir/server.key" \
  --ca "$dir/ca.pem" --authority "https://localhost:$identity_port" --mailboxes "$graph_dir/mailboxes.json" \
  --seed "$dir/seed/inbox" --seed-bulk "$dir/home/frank/Maildir/cur" --ready "$dir/graph.ready" </dev/null >"$dir/graph.log" 2>&1 &
echo $! > "$dir/graph.pid"
python3 "$dns_dir/dns-server.py" --port "$dns_port" --ready "$dir/dns.ready" \
  --srv "$(for domain in contoso.test redirect.test redirecturl.test loop.test; do
             printf '_autodiscover._tcp.%s=localhost:%s,' "$domain" "$ews_port"; done
           printf '_autodiscover._tcp.hostile.test=localhost:%s,' "$((base_port + 81))"
           printf '_kerberos._tcp.contoso.test=localhost:%s' "$kdc_port")" \
  --a "imap.gmail.com=127.0.0.1,outlook.office365.com=127.0.0.1,imap.ocn.ne.jp=127.0.0.1" \
  </dev/null >"$dir/dns.log" 2>&1 &
echo $! > "$dir/dns.pid"

# --- proxies on loopback: tinyproxy (HTTP CONNECT; every port allowed, as no ConnectPort line is
# given) without and with BasicAuth, microsocks (SOCKS5) without and with a user. Test data only.
proxy_password='proxy-pass-word'  # tinyproxy's BasicAuth takes no spaces
socks_password='socks-pass-word'
for variant in http-proxy http-proxy-auth; do
  port=$((base_port + 91)); [ "$variant" = http-proxy-auth ] && port=$((base_port + 92))
  {
    echo "Port $port"
    echo "Listen 127.0.0.1"
    echo "Timeout 60"
    echo "Allow 127.0.0.1"
    echo "MaxClients 100"
    echo "LogLevel Info"
    [ "$variant" = http-proxy-auth ] && echo "BasicAuth proxyuser $proxy_password"
  } > "$dir/$variant.conf"
  tinyproxy -d -c "$dir/$variant.conf" </dev/null >"$dir/$variant.log" 2>&1 &
  echo $! > "$dir/$variant.pid"
done
microsocks -i 127.0.0.1 -p $((base_port + 93)) </dev/null >"$dir/socks.log" 2>&1 &
echo $! > "$dir/socks.pid"
microsocks -i 127.0.0.1 -p $((base_port + 94)) -u sockuser -P "$socks_password" </dev/null >"$dir/socks-auth.log" 2>&1 &
echo $! > "$dir/socks-auth.pid"
# A plain-HTTP origin (Python's http.server): the unauthenticated http:// requests (Autodiscover's
# redirect check) through proxies.
mkdir -p "$dir/www/autodiscover"
printf 'plain http through the proxy\n' > "$dir/www/autodiscover/hello.txt"
python3 -m http.server --bind 127.0.0.1 --directory "$dir/www" $((base_port + 95)) </dev/null >"$dir/plain-http.log" 2>&1 &
echo $! > "$dir/plain-http.pid"
printf '%s' "$proxy_password" > "$dir/proxyuser.password"
printf '%s' "$socks_password" > "$dir/sockuser.password"
cat >> "$state_file" <<STATE
PEER_HTTP_PROXY=http://127.0.0.1:$((base_port + 91))
PEER_HTTP_PROXY_AUTH=http://127.0.0.1:$((base_port + 92))
PEER_SOCKS_PROXY=127.0.0.1:$((base_port + 93))
PEER_SOCKS_PROXY_AUTH=127.0.0.1:$((base_port + 94))
PEER_PROXYUSER_PASSWORD_FILE=$dir/proxyuser.password
PEER_SOCKUSER_PASSWORD_FILE=$dir/sockuser.password
PEER_PLAIN_HTTP_PORT=$((base_port + 95))
STATE
for port in $((base_port + 91)) $((base_port + 92)) $((base_port + 93)) $((base_port + 94)) $((base_port + 95)); do
  for i in $(seq 100); do
    port_busy 127.0.0.1 "$port" && break
    [ "$i" = 100 ] && { echo "a proxy (or the plain-HTTP origin) on port $port did not start" >&2; exit 1; }
    sleep 0.1
  done
done

for ready in identity ews ews-skewed graph dns; do
  for i in $(seq 100); do
    [ -f "$dir/$ready.ready" ] && break
    [ "$i" = 100 ] && { echo "the $ready peer did not start; its log:" >&2; cat "$dir/$ready.log" >&2; exit 1; }
    sleep 0.1
  done
done
for protocol in imap:IMAP pop3:POP; do  # Exchange Online's scopes: IMAP.AccessAsUser.All, POP.AccessAsUser.All
  cat > "$dir/oauth2-${protocol%%:*}.conf" <<OAUTH2
introspection_mode = post
introspection_url = https://localhost:$identity_port/introspect
username_attribute = username
active_attribute = active
active_value = true
scope = ${protocol#*:}.AccessAsUser.All
audience = https://outlook.office365.com
tls_ca_cert_file = $dir/ca.pem
OAUTH2
  chmod 644 "$dir/oauth2-${protocol%%:*}.conf"
done
write_config secure 127.0.0.1 yes yes $((base_port + 1)) $((base_port + 3)) $((base_port + 2)) $((base_port + 4))
write_config plain 127.0.0.1 no no $((base_port + 11)) $((base_port + 13))
# Dovecot treats a client whose address equals the server's as secure and would not say
# LOGINDISABLED; on 127.0.0.2 the client comes from 127.0.0.1, so the refusal is real.
write_config strict 127.0.0.2 no yes $((base_port + 21)) $((base_port + 23))
write_config oauth 127.0.0.1 yes yes 0 0 $((base_port + 52)) $((base_port + 54))
write_config xoauth 127.0.0.1 yes yes 0 0 $((base_port + 62)) $((base_port + 64))
# Submission (+5, +6) relaying through Postfix (+8) into these mailboxes over LMTP (+7).
"$(dirname "$0")/../smtp/smtp-peer.sh" start "$dir" "$state_file" "$base_port"

# Wait until every listener answers.
for endpoint in 127.0.0.1/$((base_port + 1)) 127.0.0.1/$((base_port + 2)) 127.0.0.1/$((base_port + 3)) \
                127.0.0.1/$((base_port + 4)) 127.0.0.1/$((base_port + 11)) 127.0.0.1/$((base_port + 13)) \
                127.0.0.2/$((base_port + 21)) 127.0.0.2/$((base_port + 23)) \
                127.0.0.1/$((base_port + 52)) 127.0.0.1/$((base_port + 54)) \
                127.0.0.1/$((base_port + 62)) 127.0.0.1/$((base_port + 64)); do
  for i in $(seq 100); do
    if (exec 3<>"/dev/tcp/$endpoint") 2>/dev/null; then break; fi
    [ "$i" = 100 ] && { echo "dovecot did not listen on $endpoint; logs in $dir" >&2; cat "$dir"/*/dovecot.log >&2 || true; exit 1; }
    sleep 0.1
  done
done
# dave's INBOX, in order (doveadm save gives UIDs in the order of saving), with its flags.
for message in "$dir"/seed/inbox/*.eml; do
  doveadm -c "$dir/secure/dovecot.conf" save -u dave -m INBOX < "$message"
done
uid=0
for flags in "$dir"/seed/inbox/*.flags; do
  uid=$((uid + 1))
  [ -s "$flags" ] && doveadm -c "$dir/secure/dovecot.conf" flags add -u dave "$(cat "$flags")" mailbox INBOX uid $uid
done
chown -R "$mail_uid:$mail_gid" "$dir/home"
trap - EXIT
echo "dovecot peers ready in $dir"
