"""A planned wave session of g01, for the paper questionnaires it collects."""

from acompana.delivery.tests.conftest import planned  # noqa: F401 the same planned session
