"""The `edunode` command: the composition root that runs nodes, hubs and demos from the
services and the kernel. The services never import it."""
