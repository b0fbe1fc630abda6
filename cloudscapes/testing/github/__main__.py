"""``python -m cloudscapes.testing.github``: see :mod:`.cli`."""

from .cli import main

raise SystemExit(main())
