#!/bin/sh
# After installing: the system service's user, and systemd told about the new units.
# Nothing is enabled or started: the tray starts at login when the user asks for it, and
# the services are enabled by hand (see the README).
set -e
if [ "$1" = "configure" ]; then
    if ! getent passwd lookout >/dev/null; then
        if command -v systemd-sysusers >/dev/null 2>&1; then
            systemd-sysusers lookout.conf
        else
            adduser --system --group --home /var/lib/lookout --no-create-home \
                --gecos "Lookout system monitor" --quiet lookout
        fi
    fi
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null 2>&1 || true
    fi
fi
exit 0
