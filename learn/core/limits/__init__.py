"""Rate limits per client, counted in the database so that every worker and replica shares them.

- `counters`: the store, one atomic statement per count, never culled, old windows purged;
- `clients`: who the client is (its address, behind DJANGO_TRUSTED_PROXY_HOPS proxies);
- `rates`: the limits the views ask for, and the 429 answers when one is reached.
"""
