"""Git's smart HTTP protocol at ``/<owner>/<repo>.git/...``, served by the real ``git
http-backend`` run as a CGI program for each request: the stand-in decides who may do
what, git does the protocol. ``info/refs``, ``git-upload-pack`` and ``git-receive-pack``
only (no dumb HTTP).

Who may do what, as on github.com:

- fetching a public repository needs nothing; a private one a live ``ghu_`` token as the
  Basic password (any user name: git's credential helpers send ``x-access-token``);
- pushing (``service=git-receive-pack`` and ``git-receive-pack``) always needs one;
  without, 401 with ``WWW-Authenticate: Basic realm="GitHub"`` (git then asks its
  credential helpers, and with nothing to ask says it could not read a user name); with
  a wrong, revoked or expired one, 401 again (git: "Authentication failed");
- a repository that does not exist reads as one that needs credentials (401) unless a
  valid token was sent (then 404), so that its existence does not leak;
- ``/basic/<repo>.git`` stands for a server with plain passwords (the credentials
  dialog): every request needs user ``learner`` and the password the test set.

The CGI output is streamed: its headers (``Status`` included) become the answer's, the
rest is written as it comes. ``Content-Encoding: gzip`` bodies (git compresses large
requests) go to http-backend as they are, which inflates them itself.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import logging
from typing import NoReturn

from tornado import iostream

from .oauth import GitHubHandler
from .repos import GIT, git_env
from .state import BASIC_OWNER, BASIC_USER, Token

log = logging.getLogger(__name__)

SERVICES = ("git-upload-pack", "git-receive-pack")
#: seconds one http-backend may take before it is stopped
CGI_TIMEOUT = 300
CHUNK = 64 * 1024


class GitHttpHandler(GitHubHandler):
    def basic(self) -> tuple[str, str] | None:
        scheme, encoded = self.authorization()
        if scheme != "basic":
            return None
        try:
            user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return (user, password) if sep else None

    def challenge(self, realm: str = "GitHub", message: str = "") -> NoReturn:
        self.text(401, message, {"WWW-Authenticate": f'Basic realm="{realm}"'})

    def token(self) -> Token | None:
        credentials = self.basic()
        return self.state.live_token(credentials[1]) if credentials else None

    def service_name(self, rest: str) -> str:
        if rest == "info/refs":
            return self.get_query_argument("service", "")
        return rest

    def authorize(self, owner: str, name: str, service: str) -> str:
        """The REMOTE_USER to hand http-backend, or an answer that ends the request."""
        state = self.state
        if owner == BASIC_OWNER:
            credentials = self.basic()
            password = state.passwords.get(name)
            if (
                credentials is None
                or password is None
                or credentials[0] != BASIC_USER
                or not hmac.compare_digest(credentials[1].encode(), password.encode())
            ):
                self.challenge("Cloudscapes stand-in", "Authentication required\n")
            if f"{owner}/{name}" not in state.repos:
                self.text(404, "Repository not found.\n")
            return BASIC_USER
        token = self.token()
        repo = state.repos.get(f"{owner}/{name}")
        sent = self.basic() is not None
        if token is None and (repo is None or repo.private or service == "git-receive-pack"):
            message = (
                "Invalid username or token. Password authentication is not supported "
                "for Git operations.\n"
                if sent
                else ""
            )
            self.challenge("GitHub", message)
        if repo is None:
            self.text(404, "Repository not found.\n")
        return token.login if token else ""

    async def get(self, owner: str, name: str, rest: str) -> None:
        await self.serve(owner, name, rest)

    async def post(self, owner: str, name: str, rest: str) -> None:
        await self.serve(owner, name, rest)

    async def serve(self, owner: str, name: str, rest: str) -> None:
        service = self.service_name(rest)
        if service not in SERVICES or (rest != "info/refs" and self.request.method != "POST"):
            self.text(403, "Only the smart HTTP protocol is served here.\n")
        user = self.authorize(owner, name, service)
        await self.cgi(owner, name, rest, user)

    async def cgi(self, owner: str, name: str, rest: str, user: str) -> None:
        request = self.request
        body = request.body or b""
        env = {
            **git_env(),
            "GIT_PROJECT_ROOT": str(self.state.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REQUEST_METHOD": request.method or "GET",
            "PATH_INFO": f"/{owner}/{name}.git/{rest}",
            "QUERY_STRING": request.query or "",
            "CONTENT_TYPE": request.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": request.remote_ip or "127.0.0.1",
        }
        if user:
            env["REMOTE_USER"] = user
        for header, variable in (
            ("Content-Encoding", "HTTP_CONTENT_ENCODING"),
            ("Git-Protocol", "HTTP_GIT_PROTOCOL"),
        ):
            if header in request.headers:
                env[variable] = request.headers[header]
        process = await asyncio.create_subprocess_exec(
            GIT,
            "http-backend",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        assert process.stdin and process.stdout and process.stderr

        async def feed() -> None:
            assert process.stdin
            try:
                process.stdin.write(body)
                await process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                process.stdin.close()

        feeding = asyncio.ensure_future(feed())
        errors = asyncio.ensure_future(process.stderr.read())
        try:
            await asyncio.wait_for(self.relay(process.stdout), CGI_TIMEOUT)
        except (asyncio.TimeoutError, iostream.StreamClosedError):
            process.kill()
        finally:
            await feeding
            stderr = await errors
            await process.wait()
        if stderr.strip():
            log.debug("git http-backend: %s", stderr.decode(errors="replace").strip())
        if not self._finished:
            self.finish()

    async def relay(self, stdout: asyncio.StreamReader) -> None:
        """Copy the CGI answer to the client: headers first, then the body as it comes."""
        head = b""
        while b"\r\n\r\n" not in head and b"\n\n" not in head:
            chunk = await stdout.read(CHUNK)
            if not chunk:
                self.text(502, "git http-backend gave no answer\n")
            head += chunk
        cut = head.find(b"\r\n\r\n")
        split, sep = (cut, 4) if cut >= 0 else (head.find(b"\n\n"), 2)
        headers, rest = head[:split], head[split + sep :]
        for line in headers.decode("latin-1").splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key.lower() == "status":
                code, _, reason = value.partition(" ")
                self.set_status(int(code), reason or None)
            elif key:
                self.set_header(key, value)
        if rest:
            self.write(rest)
            await self.flush()
        while True:
            chunk = await stdout.read(CHUNK)
            if not chunk:
                break
            self.write(chunk)
            await self.flush()


ROUTES = [
    (
        r"/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/(info/refs|git-upload-pack|git-receive-pack)",
        GitHttpHandler,
    ),
]
