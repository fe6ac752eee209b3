#!/usr/bin/env bash
# The README's demo command: sets up what is missing, builds, starts the local peers with their
# own CA (Dovecot; the EWS test server; the Entra-shaped identity server), stores the demo
# passwords in a demo vault, and runs examples/demo-bot.json: Connect over IMAP and over POP3
# with the password from the vault, over IMAP with OAuth2 (XOAUTH2/OAUTHBEARER), over EWS; list
# the seeded mail (unseen in INBOX, a page of the 1,000 in Bulk) and the folders through the
# sibling plugin's mailbox actions; Disconnect. Leaves nothing running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RPA_BUILD_DIR:-$root/build}
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh" >/dev/null

demo="$root/.demo"
mkdir -p "$demo"
state="$demo/dovecot.env"
peer="$root/tests/peers/dovecot/dovecot-peer.sh"
trap '"$peer" stop "$state"' EXIT
"$peer" start "$state" 24600
# shellcheck disable=SC1090
. "$state"

# A demo passphrase for a demo vault; real bots set RPA_VAULT_PASSPHRASE themselves.
export RPA_VAULT_PASSPHRASE=${RPA_VAULT_PASSPHRASE:-demo-vault-passphrase}
vault="$demo/vault.json"
rm -f "$vault"  # a fresh demo vault each run, whatever passphrase an earlier run used
host=("$build/bin/rpa-host" --plugins "$build/plugins" --plugins "$build/plugins-test" --vault "$vault")
"${host[@]}" vault set Demo alice username <<<"alice" >/dev/null
"${host[@]}" vault set Demo alice password < "$PEER_ALICE_PASSWORD_FILE" >/dev/null
"${host[@]}" vault set Demo dave password < "$PEER_DAVE_PASSWORD_FILE" >/dev/null  # seeded mail
# The identity peer's and the EWS peer's test accounts (their passwords live in their test data).
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["users"]["alice"]["password"], end="")' \
  "$PEER_IDENTITY_DIRECTORY" | "${host[@]}" vault set Demo "alice (Microsoft 365)" password >/dev/null
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mailboxes"]["alice@contoso.test"]["password"], end="")' \
  "$PEER_EWS_MAILBOXES" | "${host[@]}" vault set Demo "alice (Exchange)" password >/dev/null
client_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_clients"][0])' "$PEER_IDENTITY_DIRECTORY")
tenant_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenant"])' "$PEER_IDENTITY_DIRECTORY")
echo "vault entries (names only):"
"${host[@]}" vault list | sed 's/^/  /'

# The example bot, pointed at this run's ports and CA.
sed -e "s|@IMAPS_PORT@|$PEER_IMAPS_PORT|g" -e "s|@POP3S_PORT@|$PEER_POP3S_PORT|g" \
    -e "s|@OAUTH_IMAPS_PORT@|$PEER_OAUTH_IMAPS_PORT|g" -e "s|@EWS_URL@|$PEER_EWS_URL|g" \
    -e "s|@AUTHORITY@|$PEER_AUTHORITY|g" -e "s|@CLIENT_ID@|$client_id|g" -e "s|@TENANT_ID@|$tenant_id|g" \
    -e "s|@CA_FILE@|$PEER_CA_FILE|g" "$root/examples/demo-bot.json" > "$demo/bot.json"
echo
echo "running $root/examples/demo-bot.json:"
"${host[@]}" run "$demo/bot.json"
