"""Pages of results keep their filters and never go out of range."""

from mentormatch.pagination import page_number, paginate_list


def test_list_is_cut_into_pages_that_keep_filters():
    page = paginate_list(list(range(45)), number=3, per_page=20, args={"country": "ET"})
    assert list(page.items) == list(range(40, 45))
    assert page.pages == 3
    assert page.has_prev and not page.has_next
    assert page.args == {"country": "ET"}


def test_odd_page_numbers_fall_back_to_the_first_page():
    assert page_number("abc") == 1
    assert page_number("-4") == 1
    assert page_number(None) == 1
    assert page_number("2") == 2
