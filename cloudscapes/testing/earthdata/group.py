"""Every NASA stand-in on one :class:`~cloudscapes.testing.earthdata.state.EarthdataState`,
started and stopped together (the ``earthdata`` fixture, ``make demo``)."""

from __future__ import annotations

from ..cmr.handler import start_cmr
from ..serving import StandInGroup
from .daac import start_daac
from .edl import start_edl
from .egress import start_data, start_presign
from .imds import start_imds
from .state import EarthdataState


class EarthdataStandIns(StandInGroup):
    """EDL, DAAC, IMDS, CMR, data-host and presign-host stand-ins on loopback ports
    (0: a free one), in the current IOLoop.

    Create it on the thread (and event loop) that is to serve them.
    """

    state: EarthdataState

    def __init__(
        self,
        state: EarthdataState,
        *,
        edl_port: int = 0,
        daac_port: int = 0,
        imds_port: int = 0,
        cmr_port: int = 0,
        data_port: int = 0,
        presign_port: int = 0,
    ) -> None:
        super().__init__(
            state,
            [
                (start_edl, edl_port),
                (start_daac, daac_port),
                (start_imds, imds_port),
                (start_data, data_port),
                (start_presign, presign_port),
                (start_cmr, cmr_port),
            ],
        )

    @property
    def cmr_url(self) -> str:
        """CMR search, ending in ``/search/``."""
        assert self.state.cmr_url is not None
        return self.state.cmr_url

    @property
    def data_url(self) -> str:
        assert self.state.data_url is not None
        return self.state.data_url

    @property
    def presign_url(self) -> str:
        assert self.state.presign_url is not None
        return self.state.presign_url

    @property
    def edl_url(self) -> str:
        assert self.state.edl_url is not None
        return self.state.edl_url

    @property
    def imds_url(self) -> str:
        assert self.state.imds_url is not None
        return self.state.imds_url

    @property
    def daac_base_url(self) -> str:
        assert self.state.daac_base_url is not None
        return self.state.daac_base_url

    def daac_url(self, daac: str) -> str:
        return self.state.daac_url(daac)


def start_all(state: EarthdataState, **ports: int) -> EarthdataStandIns:
    """Start every stand-in (``edl_port``, ``daac_port``, ``imds_port``, ``cmr_port``,
    ``data_port``, ``presign_port``; 0 = free)."""
    return EarthdataStandIns(state, **ports)
