"""``python -m paper_archive.site.related INPUT.json CACHE_DIR``: :func:`.cache.main`."""

import sys

from .cache import main

sys.exit(main())
