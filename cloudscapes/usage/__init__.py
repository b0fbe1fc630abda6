"""Usage indicator: cost, memory/CPU/disk, idle culling, keep-alive and stop."""
