"""The Textual face of kaohe: a thin layer over the core (no scoring logic here)."""
