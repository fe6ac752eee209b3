#!/usr/bin/env bash
# The SMTP side of the test peers (issue 26): Dovecot's submission service, where the tests' clients
# sign in and send, relaying to a real MTA on loopback (Postfix), which delivers over LMTP into the
# test Dovecot's mailboxes, where the tests read what arrived over IMAP.
#
#   smtp-peer.sh start PEER_DIR STATE_FILE BASE_PORT   (called by dovecot-peer.sh start)
#   smtp-peer.sh stop PEER_DIR                         (called by dovecot-peer.sh stop)
#
# Ports (BASE_PORT + offset): submission with STARTTLS +5, submission over TLS +6, Dovecot's LMTP
# +7, Postfix's smtpd +8, and Postfix as a company's internal relay +9 (STARTTLS, no AUTH, no
# PIPELINING, no CHUNKING: the other way a client sends), and that relay again +10 dropping a
# client idle for 2 seconds (as servers end idle sessions after minutes) and taking messages of
# at most 100,000 bytes. Users and passwords are the test Dovecot's (PEER_DIR/users), and OAuth2
# tokens of the identity peer (+31) with SMTP.Send in their scope; a recipient
# user@example.com (or any domain of PEER_SMTP_DOMAINS) is delivered into user's Maildir.
#
# Postfix's master runs as root (it drops to the postfix user for its daemons): without root, the
# state says PEER_SMTP=unavailable and the tests that send say so and skip.
set -euo pipefail

command=${1:?usage: smtp-peer.sh start|stop PEER_DIR [STATE_FILE BASE_PORT]}
dir=${2:?usage: smtp-peer.sh start|stop PEER_DIR [STATE_FILE BASE_PORT]}
smtp="$dir/smtp"

if [ "$command" = stop ]; then
  [ -f "$smtp/postfix/etc/main.cf" ] && postfix -c "$smtp/postfix/etc" stop >/dev/null 2>&1 || true
  [ -f "$smtp/dovecot/run/master.pid" ] && kill "$(cat "$smtp/dovecot/run/master.pid")" 2>/dev/null || true
  exit 0
fi
state_file=${3:?usage: smtp-peer.sh start PEER_DIR STATE_FILE BASE_PORT}
base_port=${4:?usage: smtp-peer.sh start PEER_DIR STATE_FILE BASE_PORT}
submission_port=$((base_port + 5))
submissions_port=$((base_port + 6))
lmtp_port=$((base_port + 7))
postfix_port=$((base_port + 8))
relay_port=$((base_port + 9))
idle_relay_port=$((base_port + 10))
domains="example.com example.co.jp contoso.test"

if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null || [ ! -x /usr/lib/dovecot/submission ] || [ ! -x /usr/lib/dovecot/lmtp ]; then
  echo "PEER_SMTP=unavailable" >> "$state_file"
  exit 0
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for_port() {  # port what log
  for i in $(seq 100); do
    port_busy "$1" && return 0
    [ "$i" = 100 ] && { echo "$2 did not start; its log:" >&2; cat "$3" >&2 || true; exit 1; }
    sleep 0.1
  done
}

# --- Dovecot: submission (relaying to Postfix) and LMTP (delivering into the users' Maildirs)
mkdir -p "$smtp/dovecot/run" "$smtp/dovecot/state"
mail_uid=$(id -u nobody); mail_gid=$(getent group "$(id -gn nobody)" | cut -d: -f3)
cat > "$smtp/dovecot/oauth2-submission.conf" <<OAUTH2
introspection_mode = post
introspection_url = https://localhost:$((base_port + 31))/introspect
username_attribute = username
active_attribute = active
active_value = true
scope = SMTP.Send
audience = https://outlook.office365.com
tls_ca_cert_file = $dir/ca.pem
OAUTH2
chmod 644 "$smtp/dovecot/oauth2-submission.conf"
cat > "$smtp/dovecot/dovecot.conf" <<CONF
instance_name = rpa-test-submission
base_dir = $smtp/dovecot/run
state_dir = $smtp/dovecot/state
listen = 127.0.0.1
protocols = submission lmtp
log_path = $smtp/dovecot/dovecot.log
ssl = yes
ssl_cert = <$dir/server.pem
ssl_key = <$dir/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_failure_delay = 0
auth_mechanisms = plain login xoauth2 oauthbearer
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
mail_location = maildir:~/Maildir
hostname = mail.example.com
# Submission signs in with the user's name; LMTP names the recipient's address: both are the
# passwd-file's user (%n: the part before @). A token (OAUTHBEARER, XOAUTH2) goes to the identity
# peer's introspection, which must call it active with Exchange Online's audience and SMTP.Send in
# its scope, as Exchange Online's SMTP AUTH requires.
# (The passwd-file passdb names no mechanisms: LMTP's user lookups, which have none, need it.)
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $dir/users
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $smtp/dovecot/oauth2-submission.conf
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/home/%n
}
submission_relay_host = 127.0.0.1
submission_relay_port = $postfix_port
submission_relay_trusted = yes
submission_max_mail_size = 40M
service submission-login {
  inet_listener submission {
    port = $submission_port
  }
  inet_listener submissions {
    port = $submissions_port
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
protocol lmtp {
  auth_username_format = %n
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF
dovecot -c "$smtp/dovecot/dovecot.conf" </dev/null >>"$smtp/dovecot/start.log" 2>&1 ||
  { cat "$smtp/dovecot/start.log" >&2; exit 1; }

# --- Postfix: an instance of its own (configuration, queue and log under PEER_DIR), loopback only
mkdir -p "$smtp/postfix/etc" "$smtp/postfix/queue" "$smtp/postfix/data"
chown postfix "$smtp/postfix/data"  # master's lock file
# The stock services, without the stock smtpd on port 25; ours listens on its own port.
grep -v '^#' /etc/postfix/master.cf | grep -v '^smtp[[:space:]]*inet' > "$smtp/postfix/etc/master.cf"
echo "127.0.0.1:$postfix_port inet n - n - - smtpd" >> "$smtp/postfix/etc/master.cf"
cat >> "$smtp/postfix/etc/master.cf" <<MASTER
127.0.0.1:$relay_port inet n - n - - smtpd
  -o smtpd_discard_ehlo_keywords=chunking,pipelining
  -o smtpd_tls_security_level=may
  -o smtpd_tls_cert_file=$dir/server.pem
  -o smtpd_tls_key_file=$dir/server.key
127.0.0.1:$idle_relay_port inet n - n - - smtpd
  -o smtpd_timeout=2s
  -o message_size_limit=100000
  -o smtpd_tls_security_level=may
  -o smtpd_tls_cert_file=$dir/server.pem
  -o smtpd_tls_key_file=$dir/server.key
MASTER
cat > "$smtp/postfix/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $smtp/postfix/queue
data_directory = $smtp/postfix/data
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $smtp/postfix/maillog
maillog_file_prefixes = $smtp/postfix
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.com
mydestination =
local_recipient_maps =
virtual_mailbox_domains = $domains
virtual_mailbox_maps =
virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
# refused@<domain>: a recipient the server refuses at RCPT, as for an address that does not exist
smtpd_recipient_restrictions = check_recipient_access regexp:$smtp/postfix/etc/refused, permit_mynetworks, reject
message_size_limit = 41943040
smtputf8_enable = yes
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
CONF
echo '/^refused@/ REJECT 5.1.1 no such user here' > "$smtp/postfix/etc/refused"
postfix -c "$smtp/postfix/etc" start >/dev/null 2>&1 ||
  { cat "$smtp/postfix/maillog" >&2; exit 1; }
wait_for_port "$submission_port" "Dovecot's submission service" "$smtp/dovecot/dovecot.log"
wait_for_port "$lmtp_port" "Dovecot's LMTP" "$smtp/dovecot/dovecot.log"
wait_for_port "$postfix_port" "Postfix" "$smtp/postfix/maillog"
wait_for_port "$relay_port" "Postfix's relay" "$smtp/postfix/maillog"
wait_for_port "$idle_relay_port" "Postfix's impatient relay" "$smtp/postfix/maillog"

cat >> "$state_file" <<STATE
PEER_SMTP=available
PEER_SUBMISSION_PORT=$submission_port
PEER_SUBMISSIONS_PORT=$submissions_port
PEER_RELAY_PORT=$relay_port
PEER_IDLE_RELAY_PORT=$idle_relay_port
PEER_SMTP_DOMAINS="$domains"
STATE
