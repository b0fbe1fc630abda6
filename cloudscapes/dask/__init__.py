"""Dask clusters: LocalCluster inside this server, or Dask Gateway on a hub."""
