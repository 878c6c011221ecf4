"""The repairs, one module per failure class; see `_base.py` for what a rule is made of."""
