"""``python -m cloudscapes.testing.earthdata``: see :func:`.demo.main`."""

from .demo import main

raise SystemExit(main())
