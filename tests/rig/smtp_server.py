#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) for Lookout's email tests, on 127.0.0.1 only.

Modes: plain, starttls (STARTTLS required before MAIL), tls (implicit TLS), and stall
(accepts TCP connections and never says a word). Binds port 0, prints the port on the first
line of stdout, and stores each received message in --out as N.eml (raw) and N.json
(mail_from, rcpt_tos, auth_mechanism, auth_login). Exits when stdin closes, so a test that
dies does not leave it behind.

Run with Debian's /usr/bin/python3 (python3-aiosmtpd).
"""

import argparse
import asyncio
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Store:
    """handle_DATA: write each message and its envelope to files."""

    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out, str(self.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_mechanism": getattr(session, "lookout_mechanism", None),
            "auth_login": getattr(session, "lookout_login", None),
        }
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        # The .json appears last and whole: a reader that sees it sees the .eml too.
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Message accepted for delivery"


class Authenticator:
    def __init__(self, username, password):
        self.username = username.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == self.username and auth_data.password == self.password
        if ok:
            session.lookout_mechanism = mechanism
            session.lookout_login = auth_data.login.decode()
        return AuthResult(success=ok, handled=False)


def tls_context(args):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


async def stall(reader, writer):
    await asyncio.Event().wait()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=["plain", "starttls", "tls", "stall"], default="plain")
    p.add_argument("--out", help="directory for received messages")
    p.add_argument("--cert", help="PEM certificate (starttls, tls)")
    p.add_argument("--key", help="PEM private key (starttls, tls)")
    p.add_argument("--username", help="require AUTH with this user")
    p.add_argument("--password", help="... and this password")
    p.add_argument("--mechanisms", default="PLAIN,LOGIN", help="AUTH mechanisms to offer")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    args = p.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    if args.mode == "stall":
        server = loop.run_until_complete(asyncio.start_server(stall, "127.0.0.1", args.port))
    else:
        if not args.out:
            p.error("--out is needed")
        offered = {m.strip().upper() for m in args.mechanisms.split(",") if m.strip()}
        kwargs = {"hostname": "localhost"}
        if args.username:
            kwargs.update(
                authenticator=Authenticator(args.username, args.password or ""),
                auth_required=True,
                auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN") if m not in offered],
            )
        if args.mode == "starttls":
            kwargs.update(tls_context=tls_context(args), require_starttls=True)
        ssl_ctx = None
        if args.mode == "tls":
            ssl_ctx = tls_context(args)
            # The TLS is below aiosmtpd, which cannot see it: allow AUTH anyway.
            kwargs.update(auth_require_tls=False)
        handler = Store(args.out)
        server = loop.run_until_complete(
            loop.create_server(lambda: SMTP(handler, **kwargs), "127.0.0.1", args.port, ssl=ssl_ctx)
        )

    print(server.sockets[0].getsockname()[1], flush=True)

    def watch_stdin():
        sys.stdin.read()
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
