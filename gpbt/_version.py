"""The version of gpbt, in a module of its own so that any part of the package can name it without importing the
whole front door."""

__version__ = "0.1.0"
