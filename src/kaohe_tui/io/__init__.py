"""Importers and exporters, each a registered format (plugins add more through hooks)."""
