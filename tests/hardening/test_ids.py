"""Text that names a row: only ASCII digits within a BigAutoField's range."""

import pytest

from advocacy.ids import as_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), (str(2**63 - 1), 2**63 - 1)],
)
def test_ids_that_name_a_row(text, expected):
    assert as_id(text) == expected


@pytest.mark.parametrize(
    "text", ["", None, "0", "-3", "²", "١٢", "12a", "1" * 400, str(2**63), "1e3", "\x00"]
)
def test_text_that_names_no_row(text):
    assert as_id(text) is None
