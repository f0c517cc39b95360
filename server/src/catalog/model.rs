//! The shapes the generated catalog is made of.

/// A Liquibase minor version (`4.29`), ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
}

impl Version {
    pub const fn new(major: u16, minor: u16) -> Self {
        Version { major, minor }
    }

    /// Reads `4.29`, `4.29.2`, `3.8`; `latest`, empty or garbage give `None` (no limit).
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.trim().parse().ok()?;
        let minor = parts.next().map_or(Some(0), |m| m.trim().parse().ok())?;
        Some(Version::new(major, minor))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What values an attribute takes. `${property}` references are accepted by every kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    String,
    /// `true` / `false` (the XSD's `booleanExp` and `xsd:boolean`).
    Boolean,
    /// A whole number (`integerExp`, `xsd:int`, `xsd:long`, ...).
    Integer,
    /// One of a fixed list of values.
    Enum(&'static [&'static str]),
}

/// Which undeclared names an element tolerates (XSD `xsd:any` / `xsd:anyAttribute`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Any {
    /// Only what is declared.
    None,
    /// Names from other namespaces (extensions) too. lqls never flags namespaced names anyway.
    OtherNamespace,
    /// Any name at all (`customChange` takes arbitrary attributes as parameters; untyped elements).
    Anything,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrDef {
    pub name: &'static str,
    pub kind: ValueKind,
    pub required: bool,
    /// For a required attribute: the first version from which every XSD requires it (older ones
    /// may have had it optional).
    pub required_since: Version,
    /// Whether Liquibase's XSD accepts a `${property}` here: free text, `booleanExp` and `integerExp`
    /// do; plain `xsd:boolean`, numbers and enumerations do not (XML is validated before
    /// substitution). YAML/JSON substitute first, so this only matters for XML.
    pub properties: bool,
    /// The first Liquibase XSD with this attribute on this element.
    pub since: Version,
}

/// A child element allowed in a definition: its name, and the definition it has there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChildDef {
    pub name: &'static str,
    /// Index into the catalog's element list.
    pub def: usize,
    /// The first Liquibase XSD allowing this child here.
    pub since: Version,
}

/// One content model of an element. Several definitions may share a name (`column` in createTable vs
/// loadData); `key` tells them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElementDef {
    /// Where the definition comes from: a global element name, a named type, or `parent/name`.
    pub key: &'static str,
    /// The element name it is used under.
    pub name: &'static str,
    /// Whether the element holds text (mixed or simple content).
    pub text: bool,
    pub any_attrs: Any,
    pub any_children: Any,
    /// Sorted by name.
    pub attrs: &'static [AttrDef],
    /// Sorted by name.
    pub children: &'static [ChildDef],
}
