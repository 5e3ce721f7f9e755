"""Link names to identifiers: places to Kemendagri/Wikidata/GeoNames, codes to concepts."""
