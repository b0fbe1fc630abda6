"""The few REST routes a user-to-server token is used for, under ``/api/v3`` (GitHub
Enterprise's layout; the server's ``github_api_url`` points there): ``GET /user``,
``GET /user/installations``, ``GET /user/installations/{id}/repositories`` and
``GET /user/repos``, with GitHub's shapes (the fields our panel reads and a few more),
its ``per_page``/``page`` paging with a ``Link`` header, and its 401 ``Bad credentials``
for a missing, revoked or expired token (``Authorization: Bearer`` or ``token``)."""

from __future__ import annotations

from typing import Any, NoReturn

from .oauth import GitHubHandler
from .state import Repository, Token

API_JSON_TYPE = "application/json; charset=utf-8"
REST_DOCS = "https://docs.github.com/rest"


class ApiHandler(GitHubHandler):
    json_type = API_JSON_TYPE

    def set_default_headers(self) -> None:
        self.set_header("X-GitHub-Media-Type", "github.v3; format=json")

    def token(self) -> Token:
        scheme, credentials = self.authorization()
        token = self.state.live_token(credentials) if scheme in ("bearer", "token") else None
        if token is None:
            if not scheme:
                self.answer(
                    401,
                    {
                        "message": "Requires authentication",
                        "documentation_url": REST_DOCS,
                        "status": "401",
                    },
                )
            self.answer(
                401, {"message": "Bad credentials", "documentation_url": REST_DOCS, "status": "401"}
            )
        return token

    def not_found(self) -> NoReturn:
        self.answer(404, {"message": "Not Found", "documentation_url": REST_DOCS, "status": "404"})

    def paged(self, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        """One page of ``items`` (``per_page`` ≤ 100, default 30) and its Link header."""
        try:
            per_page = min(100, max(1, int(self.get_query_argument("per_page", "30"))))
            number = max(1, int(self.get_query_argument("page", "1")))
        except ValueError:
            per_page, number = 30, 1
        start = (number - 1) * per_page
        headers = {}
        if start + per_page < len(items):
            path = self.request.path
            last = (len(items) + per_page - 1) // per_page
            headers["Link"] = (
                f'<{self.state.base_url}{path}?per_page={per_page}&page={number + 1}>; rel="next", '
                f'<{self.state.base_url}{path}?per_page={per_page}&page={last}>; rel="last"'
            )
        return items[start : start + per_page], headers

    def repos_json(self, repos: list[Repository]) -> list[dict[str, Any]]:
        return [repo.as_json(self.state.base_url) for repo in repos]


class UserHandler(ApiHandler):
    def get(self) -> None:
        token = self.token()
        self.answer(200, self.state.users[token.login].as_json(self.state.base_url))


class InstallationsHandler(ApiHandler):
    def get(self) -> None:
        self.token()
        app = self.state.apps[self.state.client_id]
        items = []
        for number, repos in self.state.installations().items():
            owner = repos[0].owner
            items.append(
                {
                    "id": number,
                    "account": {"login": owner, "id": 7000 + number, "type": "Organization"},
                    "app_id": app.id,
                    "app_slug": app.slug,
                    "target_type": "Organization",
                    "repository_selection": "selected",
                    "permissions": {"contents": "write", "metadata": "read"},
                    "html_url": f"{self.state.base_url}/organizations/{owner}"
                    f"/settings/installations/{number}",
                }
            )
        page, headers = self.paged(items)
        self.answer(200, {"total_count": len(items), "installations": page}, headers)


class InstallationReposHandler(ApiHandler):
    def get(self, number: str) -> None:
        self.token()
        repos = self.state.installations().get(int(number))
        if repos is None:
            self.not_found()
        page, headers = self.paged(self.repos_json(repos))
        self.answer(
            200,
            {"total_count": len(repos), "repository_selection": "selected", "repositories": page},
            headers,
        )


class UserReposHandler(ApiHandler):
    def get(self) -> None:
        self.token()
        page, headers = self.paged(self.repos_json(self.state.installed_repos()))
        self.answer(200, page, headers)


class ApiNotFound(ApiHandler):
    def prepare(self) -> None:
        super().prepare()
        self.not_found()


ROUTES = [
    (r"/api/v3/user", UserHandler),
    (r"/api/v3/user/installations", InstallationsHandler),
    (r"/api/v3/user/installations/([0-9]{1,9})/repositories", InstallationReposHandler),
    (r"/api/v3/user/repos", UserReposHandler),
    (r"/api/v3/.*", ApiNotFound),
]
