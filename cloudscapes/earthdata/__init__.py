"""Earthdata login: sign in once; HTTPS (netrc) and in-region S3 access work everywhere.

The feature (routes, service) lives in ``registration.py``, which only the server
imports: ``python -m cloudscapes.earthdata.credential_process``, which AWS SDKs run
for every new session, imports no Jupyter server.
"""
