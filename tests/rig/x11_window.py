#!/usr/bin/python3
"""Top-level X11 windows by title, for tests and benchmarks under Xvfb (no window manager).

usage: x11_window.py count TITLE   prints how many windows are titled TITLE
       x11_window.py close TITLE   asks each to close, as a window manager's close button does
                                   (a WM_DELETE_WINDOW client message), and prints how many

Uses DISPLAY. Run with Debian's /usr/bin/python3 (python3-xlib).
"""

import sys

from Xlib import X, display, protocol


def windows(title, close=False):
    """How many X windows titled `title` take WM_DELETE_WINDOW; with `close`, sends each one."""
    d = display.Display()
    net_name, utf8 = d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING")
    protocols, delete = d.intern_atom("WM_PROTOCOLS"), d.intern_atom("WM_DELETE_WINDOW")
    found, todo = 0, [d.screen().root]
    while todo:
        w = todo.pop()
        try:
            todo += w.query_tree().children
            prop = w.get_full_property(net_name, utf8)
            name = prop.value.decode() if prop else w.get_wm_name()
            if name == title and delete in (w.get_wm_protocols() or []):
                found += 1
                if close:
                    w.send_event(protocol.event.ClientMessage(
                        window=w, client_type=protocols,
                        data=(32, [delete, X.CurrentTime, 0, 0, 0])))
        except Exception:  # windows come and go while the tree is walked
            pass
    d.flush()
    d.close()
    return found


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("count", "close"):
        sys.exit(__doc__)
    print(windows(sys.argv[2], close=sys.argv[1] == "close"))
