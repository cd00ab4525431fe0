"""briefgen's tests, a package so that they import what they share as `tests.support`."""

import pytest

# Plain asserts in the shared helpers report their values, as in test modules.
pytest.register_assert_rewrite("tests.support")
