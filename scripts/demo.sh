#!/usr/bin/env bash
# The README's demo command: sets up what is missing, builds, starts a local Dovecot with its own
# CA, stores the demo account's password in a demo vault, and runs examples/demo-bot.json: Connect
# over IMAP and over POP3 with the password from the vault, list the folders through the sibling
# plugin, Disconnect. Leaves nothing running.
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
echo "vault entries (names only):"
"${host[@]}" vault list | sed 's/^/  /'

# The example bot, pointed at this run's ports and CA.
sed -e "s|@IMAPS_PORT@|$PEER_IMAPS_PORT|g" -e "s|@POP3S_PORT@|$PEER_POP3S_PORT|g" \
    -e "s|@CA_FILE@|$PEER_CA_FILE|g" "$root/examples/demo-bot.json" > "$demo/bot.json"
echo
echo "running $root/examples/demo-bot.json:"
"${host[@]}" run "$demo/bot.json"
