"""Ask: Swedish questions → who is responsible, with conditions and the agreement's own words."""

from .engine import AskEngine

__all__ = ["AskEngine"]
