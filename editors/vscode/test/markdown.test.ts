import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, renderMarkdown } from "../src/markdown";

describe("renderMarkdown", () => {
  it("renders headings, paragraphs and lists", () => {
    const html = renderMarkdown("## What it does\nAdds a column\nto person.\n\n- one\n- two\n\n1. first\n2. second");
    assert.equal(
      html,
      "<h2>What it does</h2>\n<p>Adds a column to person.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
    );
  });

  it("renders inline code, bold, italic and http links", () => {
    assert.equal(
      renderMarkdown("Use `NOT NULL` with **a default**, *not* [docs](https://docs.liquibase.com/x)."),
      '<p>Use <code>NOT NULL</code> with <strong>a default</strong>, <em>not</em> <a href="https://docs.liquibase.com/x">docs</a>.</p>',
    );
  });

  it("keeps markup out of code spans and blocks", () => {
    assert.equal(renderMarkdown("`**x**`"), "<p><code>**x**</code></p>");
    assert.equal(renderMarkdown("```sql\nSELECT '<b>';\n```"), "<pre><code>SELECT &#39;&lt;b&gt;&#39;;</code></pre>");
  });

  it("shows an unterminated code block of a streaming review", () => {
    assert.equal(renderMarkdown("```\nALTER TABLE"), "<pre><code>ALTER TABLE</code></pre>");
  });

  it("escapes every HTML the model writes, and links only to http(s)", () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror="y"> [x](javascript:alert(1))');
    assert.ok(!html.includes("<script"));
    assert.ok(!html.includes("<img"));
    assert.ok(!html.includes('href="javascript'));
    assert.ok(html.includes("&lt;script&gt;"));
  });

  it("does not let a link break out of its attribute", () => {
    const html = renderMarkdown('[a](https://x.test/"onmouseover="alert(1))');
    assert.ok(!html.includes('"onmouseover'));
  });

  it("appends list continuation lines to their item", () => {
    assert.equal(renderMarkdown("- a long\n  item"), "<ul>\n<li>a long item</li>\n</ul>");
  });

  it("leaves citation brackets as text", () => {
    assert.equal(renderMarkdown("See [GL-LIVE-001]."), "<p>See [GL-LIVE-001].</p>");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
