#!/bin/sh
# Before removing: stop the system service if it runs. Config and data stay
# (/etc/lookout, /var/lib/lookout, each user's ~/.config/lookout and ~/.local/share/lookout).
set -e
if [ "$1" = "remove" ] && [ -d /run/systemd/system ]; then
    systemctl stop lookout.service >/dev/null 2>&1 || true
fi
exit 0
