use super::*;

#[test]
fn same_name_differs_by_place() {
    let cs = root().child("changeSet").unwrap();
    let in_table = cs.child("createTable").unwrap().child("column").unwrap();
    let in_load = cs.child("loadData").unwrap().child("column").unwrap();
    assert_ne!(in_table.key, in_load.key);
    assert!(in_table.child("constraints").is_some());
    assert!(in_load.child("constraints").is_none());
    assert!(in_load.attr("header").is_some());
    assert!(in_table.attr("header").is_none());
}

#[test]
fn attribute_facts() {
    let cs = root().child("changeSet").unwrap();
    assert!(cs.attr("id").unwrap().required);
    assert_eq!(cs.attr("runAlways").unwrap().kind, ValueKind::Boolean);
    let fk = cs.child("addForeignKeyConstraint").unwrap();
    match fk.attr("onDelete").unwrap().kind {
        ValueKind::Enum(v) => assert!(v.contains(&"SET NULL")),
        k => panic!("onDelete is {k:?}"),
    }
    let col = cs.child("createTable").unwrap().child("column").unwrap();
    let included = col.attr("included").unwrap();
    assert!(included.since > Version::new(4, 29));
    assert_eq!(col.attr("name").unwrap().since, Version::new(1, 0));
}

#[test]
fn change_types_are_known() {
    for name in [
        "createTable",
        "sql",
        "sqlFile",
        "customChange",
        "output",
        "empty",
        "stop",
        "tagDatabase",
    ] {
        assert!(is_change_type(name), "{name}");
        assert!(change(name).unwrap().is_change(), "{name}");
    }
    for name in ["rollback", "comment", "preConditions", "column"] {
        assert!(!is_change_type(name), "{name}");
    }
}

#[test]
fn sorted_for_binary_search() {
    assert!(change_types().windows(2).all(|w| w[0] < w[1]));
    for d in all() {
        assert!(
            d.attrs.windows(2).all(|w| w[0].name < w[1].name),
            "{}",
            d.key
        );
        assert!(
            d.children.windows(2).all(|w| w[0].name < w[1].name),
            "{}",
            d.key
        );
    }
}

#[test]
fn custom_change_takes_any_attribute() {
    let cc = change("customChange").unwrap();
    assert_eq!(cc.any_attrs, Any::Anything);
}

#[test]
fn versions_parse() {
    assert_eq!(Version::parse("4.29"), Some(Version::new(4, 29)));
    assert_eq!(Version::parse("4.29.2"), Some(Version::new(4, 29)));
    assert_eq!(Version::parse("latest"), None);
    assert!(Version::parse("3.10").unwrap() > Version::parse("3.9").unwrap());
}
