from html.parser import HTMLParser

from facttrack.highlight import Mark, highlight

VOID = {"br", "img", "hr", "meta", "link", "input"}


class NestingChecker(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check(html: str) -> NestingChecker:
    checker = NestingChecker()
    checker.feed(html)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


def claim_marks(claim_id, start, end, number_start, number_end, rank):
    return [
        Mark(
            start,
            end,
            "mark",
            {"class": "quote"},
            id=f"claim-{claim_id}",
            id_at=number_start,
            rank=rank,
        ),
        Mark(number_start, number_end, "strong", {"data-number-of": claim_id}, rank=rank),
    ]


TEXT = "Over 340,000 left and 2,000 were expelled in the second phase <b>."


def test_text_is_escaped_and_kept_whole():
    checker = check(highlight(TEXT, []))
    assert "".join(checker.text) == TEXT


def test_identical_quotes_of_two_claims_nest_and_each_keeps_its_id():
    marks = claim_marks("a", 0, 17, 5, 12, 0) + claim_marks("b", 0, 17, 5, 12, 1)
    html = highlight(TEXT, marks)
    checker = check(html)
    assert sorted(checker.ids) == ["claim-a", "claim-b"]
    assert "".join(checker.text) == TEXT


def test_crossing_quotes_are_split_and_the_id_goes_to_the_piece_with_the_number():
    first = claim_marks("a", 0, 30, 5, 12, 0)  # "Over 340,000 left and 2,000 we"
    second = claim_marks("b", 18, 60, 22, 27, 1)  # crosses the end of the first
    html = str(highlight(TEXT, first + second))
    checker = check(html)
    assert sorted(checker.ids) == ["claim-a", "claim-b"]
    # The element with id claim-b must contain b's number.
    after_b = html[html.index('id="claim-b"') :]
    assert after_b.index('data-number-of="b"') < after_b.index("</mark>")
    assert "".join(checker.text) == TEXT
