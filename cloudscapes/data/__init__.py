"""Data browser: search NASA Earthdata (CMR), browse S3, download, insert code."""
