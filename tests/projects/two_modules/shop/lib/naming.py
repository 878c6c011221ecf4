"""Resource names of the shop: nothing to repair here."""


def resource_name(base: str, environment_suffix: str) -> str:
    return f"{base}-{environment_suffix}"
