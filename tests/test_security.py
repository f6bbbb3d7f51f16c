"""Script injection: payloads in every text field never become executable in the site."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from facttrack.build import build
from facttrack.checking import Options
from facttrack.formatting import markdown
from helpers import CLAIMS_YAML, source_file


def payload(marker: str) -> str:
    """Every usual way out of a text node or an attribute, tagged with a marker word."""
    return (
        f"{marker} <script>alert('{marker}')</script><img src=x onerror=alert(1)>"
        f'"\'><svg onload=alert(1)><a href="javascript:alert(1)">x</a>'
        f"[link](javascript:alert(1)) <iframe src=javascript:alert(1)></iframe>"
        "{{7*7}}"
    )


def quoted(text: str) -> str:
    """As a YAML double-quoted scalar on one line."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


QUOTE = payload("Xquote") + " 541,210 people have been sent back since October."
FIELDS = {
    "site title": "Xsitetitle",
    "site description": "Xsitedescription",
    "figure label": "Xlabel",
    "figure unit": "Xunit",
    "figure description": "Xfigdescription",
    "speaker name": "Xname",
    "speaker role": "Xrole",
    "speaker affiliation": "Xaffiliation",
    "claim note": "Xclaimnote",
    "event title": "Xeventtitle",
    "event note": "Xeventnote",
    "source title": "Xsourcetitle",
    "source publisher": "Xpublisher",
    "source kind": "Xkind",
    "source note": "Xsourcenote",
    "source text and quote": "Xquote",
}
CLAIMS = f"""\
site:
  title: {quoted(payload("Xsitetitle"))}
  description: {quoted(payload("Xsitedescription"))}
figures:
  - id: returns
    label: {quoted(payload("Xlabel"))}
    unit: {quoted(payload("Xunit"))}
    kind: cumulative
    description: {quoted(payload("Xfigdescription"))}
speakers:
  - id: ministry
    name: {quoted(payload("Xname"))}
    role: {quoted(payload("Xrole"))}
    affiliation: {quoted(payload("Xaffiliation"))}
claims:
  - id: senate-returns
    figure: returns
    value: 541210
    as_of: "2024-11"
    speaker: ministry
    source: dawn
    quote: {quoted(QUOTE)}
    note: {quoted(payload("Xclaimnote"))}
  - id: senate-returns-again
    figure: returns
    value: 541210
    as_of: "2024-12"
    speaker: ministry
    source: dawn
    quote: {quoted(QUOTE)}
events:
  - id: centres
    date: "2023-10"
    title: {quoted(payload("Xeventtitle"))}
    source: dawn
    speaker: ministry
    quote: The government had set up 49 holding centers across the country.
    note: {quoted(payload("Xeventnote"))}
"""
SOURCE = source_file(
    "Officials said on Tuesday that "
    + QUOTE
    + "\nThe government had set up 49 holding centers across the country.\n",
    title=quoted(payload("Xsourcetitle")),
    publisher=quoted(payload("Xpublisher")),
    kind=quoted(payload("Xkind")),
    note=quoted(payload("Xsourcenote")),
    url=quoted("https://example.com/?q=\"><script>alert(1)</script>&x=' onmouseover=alert(1)"),
)
SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster"}


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class Inspector(HTMLParser):
    """Collects what could run: scripts, event handlers, script URLs, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self.in_script = False
        self.script_type = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.scripts.append(attributes)
            self.in_script = True
            self.script_type = attributes.get("type", "")
        # Our one form is the search box, which submits to the site's own search page.
        own_search = tag == "form" and attributes.get("action", "").endswith("search.html")
        if tag in ("iframe", "object", "embed", "base", "form", "frame") and not own_search:
            self.found.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            squeezed = "".join(value.split()).lower()
            empty_icon = tag == "link" and attributes.get("rel") == "icon" and value == "data:,"
            if name in URL_ATTRIBUTES and squeezed.startswith(SCHEMES) and not empty_icon:
                self.found.append(f"{tag} {name}={value!r}")
        self.text.append(" ".join(f"{name}={value}" for name, value in attributes.items()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and self.script_type == "application/ld+json":
            # Structured data is inert only while it stays JSON that cannot close its tag.
            if "<" in data or not _is_json(data):
                self.found.append(f"JSON-LD that is not inert JSON {data[:60]!r}")
        elif self.in_script and "alert" in data:
            self.found.append(f"script content {data[:60]!r}")
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    (data / "sources").mkdir(parents=True)
    (data / "claims.yaml").write_text(CLAIMS)
    (data / "sources" / "dawn.txt").write_text(SOURCE)
    result = build(Options(data=data, out=root / "site"))
    assert result.ok, [p.format() for p in result.problems]
    return root / "site"


def inspect(site: Path) -> tuple[list[str], str]:
    found, text = [], []
    for page in sorted(site.rglob("*.html")):
        inspector = Inspector()
        inspector.feed(page.read_text())
        inspector.close()
        name = page.relative_to(site).as_posix()
        found += [f"{name}: {item}" for item in inspector.found]
        for script in inspector.scripts:  # only scripts we ship: local files in the site
            source = script.get("src", "")
            if source and not (page.parent / source).resolve().is_file():
                found.append(f"{name}: script src={source!r}")
        text.append(" ".join(inspector.text))
    return found, " ".join(text)


def test_no_payload_becomes_executable(hostile_site):
    found, _ = inspect(hostile_site)
    assert found == []


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_each_field_is_on_the_site_as_text(hostile_site, field):
    """The payload was rendered (so the test above saw it), as harmless text."""
    _, text = inspect(hostile_site)
    assert FIELDS[field] in text


def test_plain_text_fields_show_the_payload_escaped(hostile_site):
    page = (hostile_site / "speakers" / "ministry.html").read_text()
    assert "Xname &lt;script&gt;alert(&#39;Xname&#39;)&lt;/script&gt;" in page
    assert "{{7*7}}" in page  # data is never evaluated as a template


def test_markdown_fields_are_sanitised_not_escaped_away(hostile_site):
    page = (hostile_site / "figures" / "returns.html").read_text()
    assert "Xfigdescription" in page
    assert "alert('Xfigdescription')" not in page  # the script element is dropped whole


def test_the_source_url_stays_inside_its_attribute(hostile_site):
    page = (hostile_site / "sources" / "dawn.html").read_text()
    assert 'href="https://example.com/?q=&#34;&gt;&lt;script&gt;' in page


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href='javascript:alert(1)'>x</a>",
        "<img src=x onerror=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<p onclick=alert(1)>x</p>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    ],
)
def test_markdown_sanitiser(text):
    html = markdown(text)
    inspector = Inspector()
    inspector.feed(str(html))
    assert inspector.found == [] and inspector.scripts == []


def test_the_inspector_sees_a_payload_left_unescaped():
    """The check above is only as good as the inspector: raw payloads must trip it."""
    inspector = Inspector()
    inspector.feed(payload("Xraw"))
    assert len(inspector.scripts) == 1
    assert {item.split("=")[0] for item in inspector.found} == {
        "img onerror",
        "svg onload",
        "a href",
        "<iframe>",
        "iframe src",
        "script content \"alert('Xraw')\"",
    }


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,x", "ftp://example.com/x", "//example.com", "https:x"],
)
def test_url_fields_accept_only_http_and_https(project, cli, url):
    data = project(sources={"dawn": source_file(url=quoted(url))})
    result = cli("check", "--data", data)
    assert result.returncode == 1
    assert f"'{url}' is not an http or https address" in result.stderr


@pytest.mark.parametrize(
    "ids",
    [
        ("id: returns", 'id: "returns<script>"'),
        ("id: ministry", "id: 'a\" onclick=\"x'"),
        ("id: senate-returns", "id: ../../index"),
    ],
)
def test_ids_cannot_carry_markup_or_paths(project, cli, ids):
    result = cli("check", "--data", project(claims=CLAIMS_YAML.replace(*ids)))
    assert result.returncode == 1
    assert "is not a valid id" in result.stderr
