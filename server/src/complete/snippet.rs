//! The text proposals insert, per syntax. Snippets use LSP snippet syntax (`$1`, `${1:default}`,
//! `$0`); every literal part goes through [`escape`].
//!
//! Lines a snippet adds carry their full indentation (the item is sent with `insertTextMode: asIs`):
//! YAML structure depends on exact columns, and re-indentation by the editor would break it.

use crate::catalog::ElementDef;

/// `text` as a literal inside a snippet.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '$' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether an element is written with content (children or text) rather than as an empty tag.
fn has_content(def: &ElementDef) -> bool {
    !def.children.is_empty() || def.text
}

/// `<name req="$1" ...>` with an indented body, or `<name req="$1"/>` for an element without content.
/// `lt` says whether to write the `<` (it is already typed after one).
pub fn xml_element(def: &ElementDef, lt: bool, indent: &str, unit: &str) -> String {
    let mut s = String::new();
    if lt {
        s.push('<');
    }
    s.push_str(def.name);
    for (n, a) in def.required_attrs().enumerate() {
        s.push_str(&format!(" {}=\"${}\"", a.name, n + 1));
    }
    if !def.children.is_empty() {
        s.push_str(&format!(">\n{indent}{unit}$0\n{indent}</{}>", def.name));
    } else if has_content(def) {
        s.push_str(&format!(">$0</{}>", def.name));
    } else {
        s.push_str("/>$0");
    }
    s
}

/// `name:` as a list item's key, with its required attributes on the following lines.
pub fn yaml_element(def: &ElementDef, column: usize) -> String {
    let pad = " ".repeat(column + 2);
    let mut s = format!("{}:", def.name);
    let mut n = 0;
    for a in def.required_attrs() {
        n += 1;
        s.push_str(&format!("\n{pad}{}: ${n}", a.name));
    }
    if n == 0 {
        s.push_str(&format!("\n{pad}$0"));
    }
    s
}

/// A nested element (or list wrapper) as a key of a YAML mapping.
pub fn yaml_key(key: &str, item: Option<&str>, column: usize) -> String {
    let pad = " ".repeat(column + 2);
    match item {
        Some("") => format!("{key}:\n{pad}- $0"),
        Some(item) => format!("{key}:\n{pad}- {item}:\n{pad}    $0"),
        None => format!("{key}:\n{pad}$0"),
    }
}

/// `"name": {...}` with the required attributes.
pub fn json_element(def: &ElementDef) -> String {
    let attrs: Vec<String> = def
        .required_attrs()
        .enumerate()
        .map(|(n, a)| format!("\"{}\": \"${}\"", a.name, n + 1))
        .collect();
    format!("\"{}\": {{{}$0}}", def.name, attrs.join(", "))
}

/// A new changeset in each syntax, with `id` and `author` as the first two placeholders.
pub fn changeset(format: crate::model::Format, id: &str, author: &str, ctx: &Layout) -> String {
    use crate::model::Format;
    let (id, author) = (escape(id), escape(author));
    let Layout {
        indent,
        unit,
        column,
        lt,
    } = ctx;
    match format {
        Format::Xml => format!(
            "{}changeSet id=\"${{1:{id}}}\" author=\"${{2:{author}}}\">\n{indent}{unit}$0\n{indent}</changeSet>",
            if *lt { "<" } else { "" }
        ),
        Format::Yaml => {
            let pad = " ".repeat(column + 2);
            format!(
                "changeSet:\n{pad}id: ${{1:{id}}}\n{pad}author: ${{2:{author}}}\n{pad}changes:\n{pad}  - $0"
            )
        }
        Format::Json => format!(
            "\"changeSet\": {{\"id\": \"${{1:{id}}}\", \"author\": \"${{2:{author}}}\", \"changes\": [$0]}}"
        ),
        Format::Sql => format!("--changeset ${{2:{author}}}:${{1:{id}}}\n$0"),
    }
}

/// Where an insertion goes, for the lines snippets add.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The current line's indentation.
    pub indent: String,
    /// One level of indentation in this document.
    pub unit: String,
    /// The column of the word being replaced.
    pub column: usize,
    /// XML: whether the `<` is to be written.
    pub lt: bool,
}
