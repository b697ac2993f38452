"""Acompaña: plan, produce, deliver and measure a CHW wellbeing and supervisor curriculum."""

__version__ = "0.1.0"
