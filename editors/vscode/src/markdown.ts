// A small Markdown-to-HTML renderer for review text written by a language model. Every piece of server text is
// HTML-escaped before any markup is added, so nothing the model writes can become markup or script in the
// webview; it handles what reviews use: headings, paragraphs, lists, code blocks, inline code, bold, italic,
// and http(s) links.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Inline markup on already-escaped text (escaping never produces `*`, `` ` ``, `[` or `]`). */
function inline(escaped: string): string {
  // Code spans first, and kept out of the other rules by splitting on them.
  return escaped
    .split(/(`[^`]+`)/)
    .map((part) => {
      if (part.length > 2 && part.startsWith("`") && part.endsWith("`")) {
        return `<code>${part.slice(1, -1)}</code>`;
      }
      return part
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)"]+)\)/g, '<a href="$2">$1</a>')
        .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
        .replace(/__([^_]+)__/g, "<strong>$1</strong>")
        .replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\w)/g, "$1<em>$2</em>")
        .replace(/(^|[^_\w])_([^_\s][^_]*?)_(?!\w)/g, "$1<em>$2</em>");
    })
    .join("");
}

type ListKind = "ul" | "ol";

export function renderMarkdown(source: string): string {
  const out: string[] = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let paragraph: string[] = [];
  let list: ListKind | undefined;
  let fence: string[] | undefined;

  const flushParagraph = (): void => {
    if (paragraph.length > 0) {
      out.push(`<p>${inline(escapeHtml(paragraph.join(" ")))}</p>`);
      paragraph = [];
    }
  };
  const closeList = (): void => {
    if (list !== undefined) {
      out.push(`</${list}>`);
      list = undefined;
    }
  };
  const openList = (kind: ListKind): void => {
    if (list !== kind) {
      closeList();
      out.push(`<${kind}>`);
      list = kind;
    }
  };

  for (const line of lines) {
    if (fence !== undefined) {
      if (/^\s*```/.test(line)) {
        out.push(`<pre><code>${escapeHtml(fence.join("\n"))}</code></pre>`);
        fence = undefined;
      } else {
        fence.push(line);
      }
      continue;
    }
    if (/^\s*```/.test(line)) {
      flushParagraph();
      closeList();
      fence = [];
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      closeList();
      const level = heading[1].length;
      out.push(`<h${level}>${inline(escapeHtml(heading[2]))}</h${level}>`);
      continue;
    }
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      flushParagraph();
      openList(bullet ? "ul" : "ol");
      out.push(`<li>${inline(escapeHtml((bullet ?? numbered)![1]))}</li>`);
      continue;
    }
    if (line.trim() === "") {
      flushParagraph();
      closeList();
      continue;
    }
    if (list !== undefined && /^\s+\S/.test(line)) {
      // A continuation line of a list item: append to it.
      const last = out.pop() ?? "<li></li>";
      out.push(last.replace(/<\/li>$/, ` ${inline(escapeHtml(line.trim()))}</li>`));
      continue;
    }
    closeList();
    paragraph.push(line.trim());
  }
  // A review still streaming may end inside a code block: show what there is.
  if (fence !== undefined) {
    out.push(`<pre><code>${escapeHtml(fence.join("\n"))}</code></pre>`);
  }
  flushParagraph();
  closeList();
  return out.join("\n");
}
