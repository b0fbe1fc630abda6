"""Which files of a selection inserted code opens, and with what (data/formats.py and the
openers of data/code.py), on literal granule models shaped as CMR's: a TELLUS granule's
.nc/.tif/.txt, a Daymet .nc with its .nc.sha256, browse and metadata sidecars typed
"GET DATA"; and HTTPS code for on-premises archives whose hosts take EDL tokens."""

from __future__ import annotations

import pytest

from cloudscapes.data.code import file_urls, opener
from cloudscapes.data.formats import classify, select

from .test_data_code import data_service, sign_in

# ---- formats: literal granule models shaped as CMR's -----------------------------------------

TELLUS_HTTPS = "https://archive.podaac.earthdata.nasa.gov/podaac-ops-cumulus-protected/TELLUS"
TELLUS_S3 = "s3://podaac-ops-cumulus-protected/TELLUS_GRAC-GRFO_MASCON_CRI_GRID_RL06.3_V4"


def granule(concept_id: str, links: dict[str, str | None], s3: bool = True) -> dict:
    """A granule model as cmr.granule_model makes it: ``links`` name -> MimeType."""
    https = [f"{TELLUS_HTTPS}/{name}" for name in links]
    s3_urls = [f"{TELLUS_S3}/{name}" for name in links] if s3 else []
    media = {u: m for name, m in links.items() for u in (f"{TELLUS_HTTPS}/{name}",) if m}
    media.update({f"{TELLUS_S3}/{n}": m for n, m in links.items() if m and s3})
    return {
        "concept_id": concept_id,
        "title": concept_id,
        "collection_concept_id": "C2536962485-POCLOUD",
        "time_start": "2024-01-01T00:00:00Z",
        "time_end": "2024-01-31T23:59:59Z",
        "size_bytes": None,
        "files": [{"name": n, "size_bytes": None} for n in links],
        "footprint": {
            "bbox": None,
            "polygons": [],
            "kind": "none",
            "approximate": False,
            "note": None,
        },
        "media_types": media,
        "https_urls": https,
        "s3_urls": s3_urls,
        "browse_url": None,
    }


TELLUS = granule(
    "G1-POCLOUD",
    {
        "GRCTellus.JPL.200204_202311.GLO.RL06.3M.MSCNv04CRI.nc": "application/x-netcdf",
        "GRCTellus.JPL.200204_202311.GLO.RL06.3M.MSCNv04CRI.tif": "image/tiff",
        "GRCTellus.JPL.200204_202311.GLO.RL06.3M.MSCNv04CRI.txt": "text/plain",
    },
)
DAYMET = granule(
    "G2-ORNL_CLOUD",
    {"daymet_v4_daily_na_tmax_2023.nc": None, "daymet_v4_daily_na_tmax_2023.nc.sha256": None},
)
SIDECARS = granule(
    "G3-POCLOUD",
    {
        "20240101-JPL-L4_GHRSST-SSTfnd-MUR-GLOB-v02.0-fv04.1.nc": "application/x-netcdf",
        "20240101-JPL-L4_GHRSST-SSTfnd-MUR-GLOB-v02.0-fv04.1.nc.md5": "text/plain",
        "20240101-JPL-L4_GHRSST-SSTfnd-MUR-GLOB-v02.0-fv04.1.png": "image/png",
        "20240101-JPL-L4_GHRSST-SSTfnd-MUR-GLOB-v02.0-fv04.1.nc.dmrpp": None,
        "20240101-JPL-L4_GHRSST-SSTfnd-MUR-GLOB-v02.0-fv04.1.cmr.xml": "application/xml",
        "preview": "image/jpeg",
    },
)


@pytest.mark.parametrize(
    "name, media_type, expected",
    [
        ("a.nc", None, ("netcdf", None)),
        ("ATL06_20190101_00570210_006_02.h5", None, ("netcdf", None)),
        ("MOD021KM.A2024001.0000.061.hdf", None, ("hdf4", None)),
        ("x.TIF", None, ("geotiff", None)),
        ("x.csv", None, ("csv", None)),
        ("README.txt", "text/plain", ("text", None)),
        ("x.nc.sha256", "text/plain", (None, "checksum")),
        ("x.nc.md5", None, (None, "checksum")),
        ("x.png", None, (None, "browse image")),
        ("x.iso.xml", None, (None, "metadata")),
        ("x.nc.dmrpp", None, (None, "metadata")),
        ("store.zarr", None, ("zarr", None)),
        # no extension this module knows: CMR's MimeType decides
        ("granule_0001", "application/x-netcdf", ("netcdf", None)),
        ("thumbnail", "image/jpeg", (None, "browse image")),
        ("blob.bin", None, ("other", None)),
    ],
)
def test_files_are_classified_by_extension_then_media_type(name, media_type, expected):
    assert classify(name, media_type) == expected


def links(*granules: dict, kind: str = "https_urls") -> list[tuple[str, str | None]]:
    return [(u, g["media_types"].get(u)) for g in granules for u in g[kind]]


def test_a_tellus_granule_is_three_formats_each_with_its_opener():
    selection = select(links(TELLUS))
    assert [f["id"] for f in selection.formats_model()] == ["netcdf", "geotiff", "text"]
    assert all(f["files"] == 1 and f["opened"] for f in selection.formats_model())
    assert selection.left_out_model() == []

    text = opener(selection.opened)
    compile(text, "<opener>", "exec")
    assert 'ds_netcdf = xr.open_dataset(files[0], engine="h5netcdf")' in text
    assert "da_geotiff = rioxarray.open_rasterio(files[1])" in text
    assert "for f in files[2:3]:" in text and "print(" in text
    # the one format chosen: the others are left out, saying so
    selection.choose(["geotiff"])
    assert [f["opened"] for f in selection.formats_model()] == [False, True, False]
    assert {x["reason"] for x in selection.left_out_model()} == {"format not chosen"}
    assert "ds = rioxarray.open_rasterio(files[0])" in opener(selection.opened)


def test_a_daymet_checksum_is_left_out_not_opened():
    selection = select(links(DAYMET, DAYMET))  # a link seen twice counts once
    assert selection.formats_model() == [
        {"id": "netcdf", "label": "NetCDF / HDF5", "files": 1, "opened": True}
    ]
    assert selection.left_out_model() == [
        {"name": "daymet_v4_daily_na_tmax_2023.nc.sha256", "reason": "checksum"}
    ]
    assert selection.left_out_lines() == [
        "Left out 1 file (checksum): daymet_v4_daily_na_tmax_2023.nc.sha256"
    ]


def test_browse_images_and_metadata_typed_get_data_are_left_out():
    selection = select(links(SIDECARS))
    assert [f["id"] for f in selection.formats_model()] == ["netcdf"]
    reasons = {x["name"].rsplit(".", 1)[-1]: x["reason"] for x in selection.left_out_model()}
    assert reasons == {
        "md5": "checksum",
        "png": "browse image",
        "dmrpp": "metadata",
        "xml": "metadata",
        "preview": "browse image",
    }


def test_several_granules_open_as_one_dataset_per_format():
    many = [
        granule(f"G{i}-ORNL_CLOUD", {f"daymet_{i}.nc": None, f"daymet_{i}.nc.sha256": None})
        for i in range(3)
    ]
    selection = select(links(*many, kind="s3_urls"))

    assert [u.rsplit("/", 1)[-1] for u in file_urls(selection.opened)] == [
        "daymet_0.nc",
        "daymet_1.nc",
        "daymet_2.nc",
    ]
    text = opener(selection.opened)
    assert "ds = xr.open_mfdataset(" in text and "files," in text
    assert (
        len(selection.left_out_lines()) == 1
        and "3 files (checksum)" in selection.left_out_lines()[0]
    )


def test_earthaccess_code_keeps_only_the_chosen_files_by_name():

    text = opener(select(links(TELLUS)).opened, pick=True)
    assert "by_name = {" in text
    assert repr("GRCTellus.JPL.200204_202311.GLO.RL06.3M.MSCNv04CRI.tif") in text
    compile(text, "<opener>", "exec")


# ---- on-premises hosts receive the token --------------------------------------------------------

ON_PREM = [
    "https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/61/MOD021KM/2024/001/"
    "MOD021KM.A2024001.0000.061.2024001134556.hdf",
    "https://n5eil01u.ecs.nsidc.org/DP7/ATLAS/ATL06.006/2019.01.01/"
    "ATL06_20190101005132_00550210_006_02.h5",
    "https://hydro1.gesdisc.eosdis.nasa.gov/data/GLDAS/GLDAS_NOAH025_3H.2.1/2024/001/"
    "GLDAS_NOAH025_3H.A20240101.0000.021.nc4",
]


def on_prem_granule(url: str) -> dict:
    model = granule("G9-LAADS", {})
    model.update(https_urls=[url], s3_urls=[], files=[{"name": url.rsplit("/", 1)[-1]}])
    return model


ON_PREM_COLLECTION = {
    "concept_id": "C9-LAADS",
    "short_name": "ON_PREM",
    "version": "1",
    "provider": "LAADS",
    "title": "On-premises archive",
    "daac": None,
    "s3_credentials_endpoint": None,
}


@pytest.mark.usefixtures("earthdata")
@pytest.mark.parametrize("url", ON_PREM, ids=["laads", "nsidc-ecs", "gesdisc"])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
async def test_https_code_is_produced_for_on_premises_daac_hosts(api, jp_serverapp, url):
    await sign_in(api)
    service = data_service(jp_serverapp)
    answer = await service.inserted.granule_code(
        [on_prem_granule(url)], ON_PREM_COLLECTION, "https"
    )
    assert answer["template"] == "granules_https" and repr(url) in answer["code"]
    compile(answer["code"], "<inserted>", "exec")
    # https on the default port only, and never a look-alike host
    for other in (
        url.replace("https://", "http://"),
        url.replace(".nasa.gov/", ".nasa.gov:8443/").replace(".org/", ".org:8443/"),
        url.replace("https://", "https://evil").replace("hydro1.", ""),
    ):
        assert not service.token_allowed(other), other
