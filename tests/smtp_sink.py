"""A tiny SMTP server for tests: accepts every mail on 127.0.0.1 and keeps it (no dependency;
Python 3.11's ``smtpd`` is deprecated and gone in 3.12).

Speaks just enough SMTP for ``smtplib`` without TLS or AUTH: HELO/EHLO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT. Mails are kept in memory of the test process (the server runs in a thread of it;
the sender may be another process, e.g. an Airflow task).
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html", "plain"))
        return part.get_content() if part is not None else ""


@dataclass
class SmtpSink:
    received: list[Received] = field(default_factory=list)
    _server: socketserver.ThreadingTCPServer | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def start(self) -> SmtpSink:
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode("ascii") + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                self.reply("220 sink ESMTP")
                mail_from, rcpt = "", []
                while line := self.rfile.readline():
                    verb = line.decode("utf-8", "replace").strip()
                    upper = verb.upper()
                    if upper.startswith(("EHLO", "HELO")):
                        self.reply("250 sink")
                    elif upper.startswith("MAIL FROM:"):
                        mail_from, rcpt = verb[10:].strip().strip("<>"), []
                        self.reply("250 ok")
                    elif upper.startswith("RCPT TO:"):
                        rcpt.append(verb[8:].strip().strip("<>"))
                        self.reply("250 ok")
                    elif upper == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        chunks = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            chunks.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        sink._keep(Received(mail_from, rcpt, b"".join(chunks)))
                        self.reply("250 queued")
                    elif upper in ("RSET", "NOOP"):
                        self.reply("250 ok")
                    elif upper == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def _keep(self, mail: Received) -> None:
        self.received.append(mail)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def conn_uri(self) -> str:
        """The Airflow connection URI for this sink (plain SMTP: no SSL, no STARTTLS, one try)."""
        return f"smtp://127.0.0.1:{self.port}?disable_ssl=true&disable_tls=true&retry_limit=0&timeout=10"
