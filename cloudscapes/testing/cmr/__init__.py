"""A local stand-in for NASA's CMR search API (``/search/``) over a generated catalogue.

It shares :class:`~cloudscapes.testing.earthdata.EarthdataState` with the EDL, DAAC and
data-host stand-ins: it checks EDL tokens with :meth:`EarthdataState.check_token`, its
collections point at the DAAC stand-in's ``/s3credentials`` and its granules at the data
host (:attr:`EarthdataState.data_url`). Every request is recorded as service ``"cmr"``.

``docs/standins.md`` ("CMR search", "The catalogue") says which documented behaviour of
CMR it follows, error answers included, and what each test hook does. The modules:

- :mod:`.providers` and :mod:`.catalogue` -- the generated collections and granules;
- :mod:`.special` -- the realistic collections at the end of the catalogue (mixed
  formats, checksums, an endpoint outside the DAAC table, orbits, swaths on premises);
- :mod:`.query` -- parameters validated into a :class:`Query`, with CMR's messages;
- :mod:`.search` -- matching, sorting and paging (page numbers, search-after);
- :mod:`.render` -- UMM JSON and Atom JSON;
- :mod:`.handler` -- the HTTP side: headers, auth, errors, test hooks, :func:`start_cmr`.
"""

from .catalogue import (
    DEMO_CONCEPT_ID,
    DEMO_ENTRY_TITLE,
    DEMO_GRANULE_IDS,
    DEMO_PROVIDER,
    DEMO_SHORT_NAME,
    SWATHS_CONCEPT_ID,
    SWATHS_GRANULES,
    Catalogue,
    Collection,
    Granule,
    default_catalogue,
    generate_catalogue,
)
from .handler import THROTTLE_ERROR, SearchHandler, scrub_token, start_cmr
from .providers import REGIONS
from .query import (
    ALL_GRANULES_ERROR,
    MAX_PAGE_SIZE,
    PAGE_SIZE_ERROR,
    SEARCH_AFTER_ERROR,
    CmrError,
    Query,
    parse_query,
)
from .render import Links
from .search import search_collections, search_granules
from .special import (
    CHECKSUM_CONCEPT_ID,
    CHECKSUM_GRANULE_IDS,
    MIXED_CONCEPT_ID,
    MIXED_GRANULE_IDS,
    ORBIT_CONCEPT_ID,
    ORBIT_GRANULE_IDS,
    SWATH_CONCEPT_ID,
    SWATH_GRANULE_IDS,
    SWOT_CONCEPT_ID,
    SWOT_GRANULE_IDS,
    special_objects,
)

__all__ = [
    "ALL_GRANULES_ERROR",
    "CHECKSUM_CONCEPT_ID",
    "CHECKSUM_GRANULE_IDS",
    "DEMO_CONCEPT_ID",
    "DEMO_ENTRY_TITLE",
    "DEMO_GRANULE_IDS",
    "DEMO_PROVIDER",
    "DEMO_SHORT_NAME",
    "MAX_PAGE_SIZE",
    "MIXED_CONCEPT_ID",
    "MIXED_GRANULE_IDS",
    "ORBIT_CONCEPT_ID",
    "ORBIT_GRANULE_IDS",
    "PAGE_SIZE_ERROR",
    "REGIONS",
    "SEARCH_AFTER_ERROR",
    "SWATHS_CONCEPT_ID",
    "SWATHS_GRANULES",
    "SWATH_CONCEPT_ID",
    "SWATH_GRANULE_IDS",
    "SWOT_CONCEPT_ID",
    "SWOT_GRANULE_IDS",
    "THROTTLE_ERROR",
    "Catalogue",
    "CmrError",
    "Collection",
    "Granule",
    "Links",
    "Query",
    "SearchHandler",
    "default_catalogue",
    "generate_catalogue",
    "parse_query",
    "scrub_token",
    "search_collections",
    "search_granules",
    "special_objects",
    "start_cmr",
]
