#!/usr/bin/env python3
"""A real HTTP(S) server for Lookout's tests: records every request and answers as told.

Prints its port on the first line of stdout. Every request is appended to OUT/requests.jsonl
as {"method", "path", "headers", "body" (base64)}. Answers come from OUT/answers.json, a list
of {"status", "headers", "body"} used in order; the last one repeats. Without the file every
request gets 200 with an empty JSON object.
"""
import argparse
import base64
import json
import os
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--out", required=True)
parser.add_argument("--cert")
parser.add_argument("--key")
args = parser.parse_args()

lock = threading.Lock()
served = {"count": 0}


def answer_for(index):
    path = os.path.join(args.out, "answers.json")
    try:
        with open(path, encoding="utf-8") as f:
            answers = json.load(f)
    except FileNotFoundError:
        answers = []
    if not answers:
        return {"status": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}
    return answers[min(index, len(answers) - 1)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            index = served["count"]
            served["count"] += 1
            record = {
                "at": time.time(),
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": base64.b64encode(body).decode("ascii"),
            }
            with open(os.path.join(args.out, "requests.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        answer = answer_for(index)
        payload = answer.get("body", "").encode("utf-8")
        self.send_response(answer.get("status", 200))
        for name, value in answer.get("headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_HEAD = handle_any

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
if args.cert:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
