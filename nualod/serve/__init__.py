"""Use a release: SPARQL queries, the server, and pushing to other stores."""
