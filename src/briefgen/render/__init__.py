"""Output side: backends that render a `Document`. Nothing here reads YAML."""
