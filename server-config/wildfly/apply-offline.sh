#!/bin/sh
# Runs CLI scripts against a stopped server: embed-server first, stop-embedded-server last.
# usage: JBOSS_HOME=/opt/wildfly apply-offline.sh install.cli [dev.cli ...]
# SERVER_CONFIG picks another configuration file (default standalone-full.xml).
set -e
: "${JBOSS_HOME:?set JBOSS_HOME to the WildFly directory}"
script=$(mktemp)
trap 'rm -f "$script"' EXIT
echo "embed-server --server-config=${SERVER_CONFIG:-standalone-full.xml} --std-out=discard" > "$script"
for f in "$@"; do cat "$f" >> "$script"; echo >> "$script"; done
echo "stop-embedded-server" >> "$script"
exec "$JBOSS_HOME/bin/jboss-cli.sh" --file="$script"
