"""The product layer: the normalised model, ASIN rules, shortcode → request resolution, local products,
the cache, the store (the freshness ladder over local products, cache and API) and refresh."""
