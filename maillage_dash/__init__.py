"""Maillage: a bilingual map of services against the sexual exploitation of young people in Québec."""

__version__ = "0.1.0"
