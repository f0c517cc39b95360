//! Cross-checks the generated catalog against Liquibase's newest XSD, read independently with
//! quick-xml: every element and attribute the XSD declares must be in the catalog, on an element
//! definition of the same name when the attribute is declared inline in that element.

use lqls::catalog;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn xsd_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/xsd/dbchangelog-4.33.xsd")
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key.as_bytes())
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// (declared elements, (enclosing element or None, attribute) pairs).
fn declared(text: &str) -> (BTreeSet<String>, BTreeSet<(Option<String>, String)>) {
    let mut reader = Reader::from_str(text);
    let mut elements = BTreeSet::new();
    let mut attrs = BTreeSet::new();
    // Stack of open xsd tags, each with the element name it declares (for xsd:element) or None.
    let mut stack: Vec<Option<String>> = Vec::new();
    loop {
        match reader.read_event().expect("the XSD is well-formed") {
            Event::Start(e) => {
                let declares = handle(&e, &stack, &mut elements, &mut attrs);
                stack.push(declares);
            }
            Event::Empty(e) => {
                handle(&e, &stack, &mut elements, &mut attrs);
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (elements, attrs)
}

fn handle(
    e: &BytesStart,
    stack: &[Option<String>],
    elements: &mut BTreeSet<String>,
    attrs: &mut BTreeSet<(Option<String>, String)>,
) -> Option<String> {
    let tag = e.name().as_ref().to_vec();
    match tag.as_slice() {
        b"xsd:element" => {
            let name = attr(e, "name").or_else(|| attr(e, "ref"));
            if let Some(n) = &name {
                elements.insert(n.clone());
            }
            name
        }
        b"xsd:attribute" => {
            if let Some(n) = attr(e, "name") {
                let owner = stack.iter().rev().flatten().next().cloned();
                attrs.insert((owner, n));
            }
            None
        }
        _ => None,
    }
}

#[test]
fn catalog_covers_the_xsd() {
    let path = xsd_path();
    // Never skipped: CI and scripts/test.sh run with ../shared beside the repository.
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the 4.33 XSD is needed)", path.display()));
    let (elements, attrs) = declared(&text);
    assert!(
        elements.len() > 80,
        "parsed too few elements: {}",
        elements.len()
    );
    let mut missing = Vec::new();
    for name in &elements {
        if !catalog::all().iter().any(|d| d.name == name.as_str()) {
            missing.push(format!("element {name}"));
        }
    }
    for (owner, name) in &attrs {
        let found = catalog::all()
            .iter()
            .any(|d| owner.as_deref().is_none_or(|o| d.name == o) && d.attr(name).is_some());
        if !found {
            missing.push(format!("attribute {name} on {owner:?}"));
        }
    }
    assert!(missing.is_empty(), "catalog lacks: {missing:#?}");
}

#[test]
fn change_types_match_changeset_children() {
    // Every change type must be reachable from a changeSet.
    let cs = catalog::root().child("changeSet").expect("changeSet");
    for name in catalog::change_types() {
        assert!(cs.child(name).is_some(), "{name}");
    }
}
