"""finish/html.py: a page parsed once as browsers parse it, and written back so that they parse the same tree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finish.html import FinishError, parse, serialize


def shape(element) -> tuple:
    """An element as data: name, attributes, text, children, tail."""
    return (
        element.tag,
        dict(element.attrib),
        element.text or "",
        [shape(child) for child in element],
        element.tail or "",
    )


class TestWrittenAsTheStandardWritesIt:
    """Expected strings written from the HTML standard's serialization algorithm, not from the code."""

    @pytest.mark.parametrize(
        ("html", "body"),
        [
            ("<p>a &amp; b &lt;c&gt;\u00a0d</p>", "<p>a &amp; b &lt;c&gt;&nbsp;d</p>"),
            ('<p title="&quot;x&quot; &lt;y&gt; &amp;">t</p>', '<p title="&quot;x&quot; &lt;y&gt; &amp;">t</p>'),
            ("<p>a<br>b<img src=x></p>", '<p>a<br>b<img src="x"></p>'),
            ("<p>&#35;&#45;&#40;</p>", "<p>#-(</p>"),
            ('<svg viewBox="0 0 1 1"><path d="M0"/></svg>', '<svg viewBox="0 0 1 1"><path d="M0"></path></svg>'),
            ("<script>if (a < b && c > d) {}</script>", "<script>if (a < b && c > d) {}</script>"),
            ("<noscript><p>x &lt;/noscript&gt;</p></noscript>", "<noscript><p>x &lt;/noscript&gt;</p></noscript>"),
        ],
    )
    def test_body(self, html: str, body: str) -> None:
        written = serialize(parse(f"<!doctype html><html><head></head><body>{html}</body></html>"))
        assert written == f"<!doctype html>\n<html><head></head><body>{body}</body></html>"

    def test_the_svg_namespace_is_written_as_html_writes_it(self) -> None:
        namespaces = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        html = f'<svg {namespaces}><use xlink:href="#a"/></svg>'
        written = serialize(parse(html))
        assert 'xmlns="http://www.w3.org/2000/svg"' in written and 'xlink:href="#a"' in written
        assert "{http" not in written


class TestNothingEndsEarly:
    """Raw text that would end its element early cannot be written: it would become markup."""

    def test_a_script_holding_its_end_tag_is_refused(self) -> None:
        root = parse("<script>x</script>")
        next(root.iter("script")).text = "a</SCRIPT><script>alert(1)"
        with pytest.raises(FinishError, match="would end it early"):
            serialize(root)

    def test_a_comment_is_refused(self) -> None:
        with pytest.raises(FinishError, match="comment"):
            serialize(parse("<p>a<!-- b --></p>"))


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'/="))


class TestWhatIsWrittenParsesBackTheSame:
    """A browser reading the page builds the tree that was checked: parse(serialize(tree)) is the tree."""

    @given(text=TEXT, value=TEXT)
    def test_any_text_and_attribute(self, text: str, value: str) -> None:
        root = parse("<!doctype html><html><head></head><body><p>x</p></body></html>")
        paragraph = next(root.iter("p"))
        paragraph.text, paragraph.attrib["title"] = text, value
        again = parse(serialize(root))
        assert shape(again) == shape(parse(serialize(again)))
        assert next(again.iter("p")).get("title") == value
