"""Local stand-ins for NASA Earthdata Login, DAAC ``/s3credentials``, DAAC HTTPS
downloads (the thin-egress-app and the presigned S3 URLs it redirects to) and EC2
instance metadata (IMDSv2), sharing one :class:`EarthdataState`; CMR search
(:mod:`cloudscapes.testing.cmr`) shares it too. :class:`EarthdataStandIns` starts them all.

``docs/standins.md`` says which documented behaviour of NASA's services each one follows,
error answers included, and what each test hook does. One module per service:

- :mod:`.state` -- :class:`EarthdataState`, the accounts, tokens, DAACs and hooks;
- :mod:`.edl`, :mod:`.daac`, :mod:`.egress` (data and presign hosts), :mod:`.imds`;
- :mod:`.group` -- :class:`EarthdataStandIns`, every server on one state;
- :mod:`.demo` -- the demo account and DAACs, ``python -m cloudscapes.testing.earthdata
  --info-file PATH [--s3] [--many N]``, :func:`spawn` and the server settings.
"""

from ..serving import JSON_TYPE, RecordedRequest
from .daac import start_daac
from .demo import (
    DEMO_BUCKET,
    DEMO_LPDAAC_BUCKET,
    DEMO_OBJECTS,
    configure_lab,
    data_server_config,
    demo_state,
    main,
    server_config,
    spawn,
    user_files_env,
)
from .edl import start_edl
from .egress import presign, start_data, start_presign
from .group import EarthdataStandIns, start_all
from .imds import start_imds
from .state import (
    INVALID_CREDENTIALS,
    JWT_HEADER,
    MAX_TOKENS,
    EarthdataState,
    EdlToken,
    EdlUser,
    IssuedCredentials,
    Transfer,
)

__all__ = [
    "DEMO_BUCKET",
    "DEMO_LPDAAC_BUCKET",
    "DEMO_OBJECTS",
    "INVALID_CREDENTIALS",
    "JSON_TYPE",
    "JWT_HEADER",
    "MAX_TOKENS",
    "EarthdataStandIns",
    "EarthdataState",
    "EdlToken",
    "EdlUser",
    "IssuedCredentials",
    "RecordedRequest",
    "Transfer",
    "configure_lab",
    "data_server_config",
    "demo_state",
    "main",
    "presign",
    "server_config",
    "spawn",
    "start_all",
    "start_daac",
    "start_data",
    "start_edl",
    "start_imds",
    "start_presign",
    "user_files_env",
]
