//! XML changelogs: quick-xml events → the generic element tree (`tree`) → the model (`super::lower`).
//!
//! quick-xml tokenizes; everything an editor needs beyond that lives here: exact spans for attributes
//! (`tag`), namespace resolution that keeps extension elements apart (`names`), references resolved
//! without ever expanding DOCTYPE entities (`escape`), and recovery from half-typed markup (`tree`).

mod escape;
mod names;
mod tag;
#[cfg(test)]
mod tests;
mod tree;

use crate::model::{Format, Parsed, Span, Spanned};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

pub fn parse(text: &str) -> Parsed {
    let tree = tree::build(text);
    let mut diagnostics = tree.diagnostics;
    let starts = tree.start_tags;
    let header = |el: &crate::model::Element| {
        starts
            .get(&el.span.start)
            .copied()
            .unwrap_or(Span::new(el.span.start, el.name.span.end))
    };
    let xsd_version = tree.root.as_ref().and_then(|r| xsd_version(text, r));
    let mut changelog = super::lower::changelog(Format::Xml, tree.root, &header, &mut diagnostics);
    changelog.xsd_version = xsd_version;
    Parsed {
        changelog,
        diagnostics,
    }
}

/// The dbchangelog XSD version named in `xsi:schemaLocation` (`4.20`, `latest`), with its span.
fn xsd_version(text: &str, root: &crate::model::Element) -> Option<Spanned<String>> {
    let loc = root
        .attrs
        .iter()
        .find(|a| a.name.value == "schemaLocation" && a.namespace.as_deref() == Some(XSI))?;
    let raw = text.get(loc.value.span.start..loc.value.span.end)?;
    const MARK: &str = "dbchangelog-";
    let at = raw.find(MARK)? + MARK.len();
    let len = raw[at..].find(".xsd")?;
    let version = &raw[at..at + len];
    let valid = version == "latest"
        || (!version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'));
    valid.then(|| {
        let start = loc.value.span.start + at;
        Spanned::new(version.to_string(), Span::new(start, start + len))
    })
}
