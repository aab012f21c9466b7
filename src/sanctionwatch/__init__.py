"""sanctionwatch: watch multilingual news for designation events and support networks."""

__version__ = "0.1.0"
