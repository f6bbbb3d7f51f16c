"""Downloads, feed, sitemap, 404 page, social and schema.org markup, charts and
citations in the built site; with and without site.url."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from bench.generate import corpus, write_project

from facttrack.build import build
from facttrack.checking import Options, check
from facttrack.model import Claim
from facttrack.page_parts import FEED_ENTRIES, feed_records
from helpers import CLAIMS_YAML, FIXTURES, ROOT, run_cli, source_file
from sitecheck import check_site, parse_page

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SVG = "{http://www.w3.org/2000/svg}"
SITE_URL = "https://example.org/tracker"  # a documentation domain: never a real site


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory) -> Path:
    """The small fixture, published at SITE_URL, with a source that has an address."""
    data = tmp_path_factory.mktemp("url") / "data"
    (data / "sources").mkdir(parents=True)
    claims = (FIXTURES / "small" / "claims.yaml").read_text()
    claims = claims.replace(
        "  title: Small tracker\n", f"  title: Small tracker\n  url: {SITE_URL}/\n"
    )
    (data / "claims.yaml").write_text(claims)
    source = (FIXTURES / "small" / "sources" / "dawn-2024-11-19.txt").read_text()
    source = source.replace(
        "kind: news article\n",
        "kind: news article\nurl: https://www.dawn.com/news/1803712\nretrieved: 2024-11-20\n",
    )
    (data / "sources" / "dawn-2024-11-19.txt").write_text(source)
    out = data.parent / "site"
    result = run_cli("build", "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


# -- JSON and CSV ----------------------------------------------------------------


@pytest.mark.parametrize("which", ["real_site", "site_with_url"])
def test_claims_json_validates_against_its_published_schema(which, request):
    site = request.getfixturevalue(which)
    schema = load_json(site / "data/claims.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    document = load_json(site / "data/claims.json")
    jsonschema.Draft202012Validator(schema).validate(document)


def test_the_schema_rejects_what_it_should(real_site):
    schema = load_json(real_site / "data/claims.schema.json")
    document = load_json(real_site / "data/claims.json")
    validator = jsonschema.Draft202012Validator(schema)
    document["claims"][0]["qualifier"] = "roughly"
    assert not validator.is_valid(document)
    document = load_json(real_site / "data/claims.json")
    del document["claims"][0]["quote"]
    assert not validator.is_valid(document)


def test_claims_json_holds_every_claim_with_its_interval_and_checks(real_site):
    document = load_json(real_site / "data/claims.json")
    claims = {c["id"]: c for c in document["claims"]}
    assert len(claims) == 55
    senate = claims["interior-ministry-541210-sent-back"]
    assert senate["value"] == 541210 and senate["interval"] == {"low": 541210, "high": 541210}
    assert senate["number_as_written"] == "541,210"
    over = claims["encyclopedia-over-813300-repatriated-by-january-2025"]
    assert over["interval"] == {"low": 813300, "high": None}  # null: no upper limit
    source = (ROOT / "data/sources/senate-told-500000-repatriated-2024-01-02.txt").read_text()
    body = source.split("\n---\n", 1)[1]
    start, end = senate["quote_offsets"]
    assert " ".join(body[start:end].split()) == " ".join(senate["quote"].split())
    statuses = {r["id"]: r["status"] for r in document["checks"]["relations"]}
    assert statuses["holding-centres-by-province"] == "fails"
    assert document["site"]["url"] is None


def test_claims_csv_has_one_row_per_claim(real_site):
    rows = list(csv.DictReader(io.StringIO((real_site / "data/claims.csv").read_text())))
    assert len(rows) == 55
    by_id = {row["id"]: row for row in rows}
    row = by_id["encyclopedia-100000-165000-left-before-deadline"]
    assert (row["value"], row["low"], row["high"]) == ("", "100000", "165000")
    assert by_id["encyclopedia-over-813300-repatriated-by-january-2025"]["interval_high"] == ""


def test_one_csv_per_figure_linked_from_its_page(real_site):
    figures = [p.stem for p in (real_site / "figures").glob("*.html") if p.stem != "index"]
    assert len(figures) == 31
    for figure in figures:
        rows = list(
            csv.DictReader(io.StringIO((real_site / f"data/figures/{figure}.csv").read_text()))
        )
        assert {row["figure"] for row in rows} <= {figure}
        hrefs = [href for href, _ in parse_page(real_site / f"figures/{figure}.html").links]
        assert f"../data/figures/{figure}.csv" in hrefs
        assert "../data/claims.json" in hrefs and "../downloads.html" in hrefs
    returns = (real_site / "data/figures/returns-since-expulsion-order.csv").read_text()
    assert len(returns.splitlines()) == 1 + 7


# -- feed and sitemap ---------------------------------------------------------------


def test_feed_is_atom_with_relative_links_without_a_site_url(real_site):
    feed = ET.parse(real_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 55 + 21
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", u) for u in updated)
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert not href.startswith(("http", "/"))
        assert (real_site / href.split("#")[0]).is_file()
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert not (real_site / "sitemap.xml").exists()


def test_the_feed_holds_the_newest_records_in_the_order_of_a_full_sort(tmp_path):
    data = write_project(corpus(600, seed=5), tmp_path / "data")
    derived = check(Options(data=data, cache=False)).derived
    assert derived is not None
    records = [*derived.linked.data.claims.values(), *derived.linked.data.events.values()]

    def key(record):
        date = record.stated_on if isinstance(record, Claim) else record.date
        return (date.sort_key(), "claim" if isinstance(record, Claim) else "event", record.id)

    newest = sorted(records, key=key, reverse=True)[:FEED_ENTRIES]
    assert feed_records(derived) == newest
    # dates repeat among the newest, and events stand among them: ties are ordered too
    assert len({key(record)[0] for record in newest}) < FEED_ENTRIES
    assert any(not isinstance(record, Claim) for record in newest)


def test_feed_and_sitemap_use_absolute_addresses_with_a_site_url(site_with_url):
    feed = ET.parse(site_with_url / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}/feed.xml"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}/feed.xml"
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id").startswith(f"{SITE_URL}/")
    sitemap = ET.parse(site_with_url / "sitemap.xml").getroot()
    assert sitemap.tag == f"{SITEMAP}urlset"
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    pages = sorted(
        p.relative_to(site_with_url).as_posix()
        for p in site_with_url.rglob("*.html")
        if p.name != "404.html"
    )
    assert sorted(loc.removeprefix(f"{SITE_URL}/") for loc in locations) == pages


# -- pages ----------------------------------------------------------------------------


def test_every_page_has_social_tags_and_links_resolve(site_with_url, real_site):
    assert check_site(site_with_url) == []
    for site, absolute in ((real_site, False), (site_with_url, True)):
        for page in site.rglob("*.html"):
            html = page.read_text()
            for tag in ("og:title", "og:description", "og:type", "og:site_name"):
                assert f'property="{tag}"' in html, (page, tag)
            assert '<meta name="twitter:card" content="summary">' in html
            path = page.relative_to(site).as_posix()
            canonical = f'<link rel="canonical" href="{SITE_URL}/{path}">'
            assert (canonical in html) == absolute, page
            assert ('property="og:url"' in html) == absolute


def test_404_page_links_absolutely_only_when_it_can(site_with_url, real_site):
    assert f'href="{SITE_URL}/style.css"' in (site_with_url / "404.html").read_text()
    assert 'href="style.css"' in (real_site / "404.html").read_text()


def json_ld(page: Path) -> list[dict]:
    html = page.read_text()
    blocks = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_claim_pages_carry_schema_org_claims(real_site, site_with_url):
    (claim,) = json_ld(real_site / "claims/interior-ministry-541210-sent-back.html")
    assert claim["@context"] == "https://schema.org" and claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Organization", "name": "Ministry of Interior"}
    assert claim["datePublished"] == "2024-01-02"
    appearance = claim["appearance"]
    assert appearance["@type"] == "CreativeWork" and appearance["datePublished"] == "2024-01-02"
    assert "publisher" not in appearance and "url" not in claim  # unknown: left out
    (person,) = json_ld(real_site / "claims/jilani-more-than-40-years.html")
    assert person["author"] == {"@type": "Person", "name": "Jalil Abbas Jilani"}
    (with_url,) = json_ld(site_with_url / "claims/senate-returns.html")
    assert with_url["url"] == f"{SITE_URL}/claims/senate-returns.html"
    assert with_url["appearance"]["publisher"] == {"@type": "Organization", "name": "Dawn"}
    assert with_url["appearance"]["url"] == "https://www.dawn.com/news/1803712"


def test_downloads_page_describes_a_dataset(real_site, site_with_url):
    (dataset,) = json_ld(real_site / "downloads.html")
    assert dataset["@type"] == "Dataset"
    urls = [d["contentUrl"] for d in dataset["distribution"]]
    assert urls == ["data/claims.json", "data/claims.schema.json", "data/claims.csv"]
    assert dataset["temporalCoverage"] == "1979/2025-01"
    (published,) = json_ld(site_with_url / "downloads.html")
    assert published["distribution"][0]["contentUrl"] == f"{SITE_URL}/data/claims.json"


def test_json_ld_cannot_close_its_script_element(project, tmp_path):
    text = (
        "Officials said 541,210 people left.</script><b> "
        "The government had set up 49 holding centers across the country.\n"
    )
    claims = CLAIMS_YAML.replace(
        "    quote: 541,210 people have been sent back since October.\n",
        '    quote: "541,210 people left.</script><b>"\n',
    )
    data = project(claims=claims, sources={"dawn": source_file(text)})
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok
    page = out / "claims/senate-returns.html"
    assert page.read_text().count("</script>") == 1
    assert json_ld(page)[0]["text"] == "541,210 people left.</script><b>"


def test_claim_page_cites_and_links_to_the_passage_in_the_original(site_with_url, real_site):
    html = (site_with_url / "claims/senate-returns.html").read_text()
    assert (
        'href="https://www.dawn.com/news/1803712#:~:text=541%2C210%20people%20have%20been,'
        'plan%20for%20illegal%20residents"'
    ) in html
    assert "Open the original at this passage" in html
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    for part in ("Ministry of Interior", "Dawn", "retrieved", "20 November 2024",
                 f"{SITE_URL}/claims/senate-returns.html"):  # fmt: skip
        assert part in citation
    plain = (real_site / "claims/interior-ministry-541210-sent-back.html").read_text()
    assert "publisher unknown" in plain and ":~:text=" not in plain


def test_a_quote_no_context_can_single_out_gets_no_passage_link(project, tmp_path):
    text = "Officials said 541,210 people have been sent back since October. " * 3 + (
        "The government had set up 49 holding centers across the country."
    )
    data = project(sources={"dawn": source_file(text, url="https://example.org/a")})
    out = tmp_path / "site"
    assert build(Options(data=data, out=out)).ok
    html = (out / "claims/senate-returns.html").read_text()
    assert ":~:text=" not in html
    assert "occur more than once in the source" in html


# -- charts and checks on the site -------------------------------------------------------


def test_each_figure_page_charts_its_claims_as_links(real_site):
    page = real_site / "figures/returns-since-expulsion-order.html"
    svg = re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>', page.read_text(), re.S
    )
    root = ET.fromstring(svg.group(0))
    linked = {a.get("data-claim") for a in root.iter(f"{SVG}a")}
    document = load_json(real_site / "data/claims.json")
    expected = {
        c["id"] for c in document["claims"] if c["figure"] == "returns-since-expulsion-order"
    }
    assert linked == expected
    exit_fee = (real_site / "figures/exit-fee.html").read_text()
    assert "Not charted: 1 claim(s) in another unit." in exit_fee  # the £660 beside $830


def test_home_page_shows_small_charts_of_the_key_figures(real_site):
    html = (real_site / "index.html").read_text()
    key = [f["id"] for f in load_json(real_site / "data/claims.json")["figures"] if f["key"]]
    for figure in key:
        assert f'aria-labelledby="spark-{figure}-title"' in html


def test_figure_and_claim_pages_show_the_checks_with_linked_arithmetic(real_site):
    figure = (real_site / "figures/holding-centres.html").read_text()
    assert "Does not hold" in figure
    equation = re.search(r'<p class="equation">(.*?)</p>', figure, re.S).group(1)
    links = re.findall(r'<a class="num" href="([^"]+)" data-claim="([^"]+)">([^<]+)</a>', equation)
    assert [text for _, _, text in links] == ["36", "3", "2", "3", "1", "49"]
    assert re.sub(r"<[^>]+>", "", equation) == "36 + 3 + 2 + 3 + 1 = 45 ≠ 49 ✗"
    claim = (real_site / "claims/un-estimated-3-8-million-afghans.html").read_text()
    assert "cannot both be true" in claim and "United Nations" in claim
    checks = (real_site / "checks.html").read_text()
    assert checks.count('class="relation ') == 12
    assert "271,985</a> + " in checks


def test_what_changed_page_exists(real_site):
    html = (real_site / "changes.html").read_text()
    assert "<h1>What changed</h1>" in html


def test_a_large_site_gets_a_sitemap_index(monkeypatch):
    from facttrack import render

    monkeypatch.setattr(render, "SITEMAP_LIMIT", 2)
    pages = list(render.sitemap_pages(["a.html", "b.html", "c.html"]))
    assert [(p.path, p.template, p.context["paths"]) for p in pages] == [
        ("sitemap-1.xml", "sitemap.xml", ["a.html", "b.html"]),
        ("sitemap-2.xml", "sitemap.xml", ["c.html"]),
        ("sitemap.xml", "sitemap-index.xml", ["sitemap-1.xml", "sitemap-2.xml"]),
    ]


def test_the_sitemap_index_is_valid_xml(project, tmp_path, monkeypatch):
    from facttrack import render

    monkeypatch.setattr(render, "SITEMAP_LIMIT", 5)
    claims = f"site:\n  title: T\n  url: {SITE_URL}\n" + CLAIMS_YAML
    out = tmp_path / "site"
    assert build(Options(data=project(claims=claims), out=out)).ok
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert parts[0] == f"{SITE_URL}/sitemap-1.xml"
    urls = []
    for part in parts:
        sitemap = ET.parse(out / part.removeprefix(f"{SITE_URL}/")).getroot()
        urls += [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert len(urls) == len([p for p in out.rglob("*.html") if p.name != "404.html"])
