//! What the cursor is on, in terms every syntax shares: the elements around it (the XML vocabulary
//! the model uses) and whether an element name, an attribute name or a value is being typed.

use crate::model::Span;

/// One enclosing element, with the attributes written on it so far (to exclude them, and to find the
/// table a column attribute refers to).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Frame {
    pub fn new(name: impl Into<String>) -> Self {
        Frame {
            name: name.into(),
            attrs: Vec::new(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How an element name is written where the cursor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// XML, after a typed `<`.
    XmlTag,
    /// XML, in content where no `<` is typed yet: proposals bring their own.
    XmlContent,
    /// XML, after `</`: the end tag of the innermost open element.
    XmlClose,
    /// A YAML key that starts a list item (`- createTable:`); `column` is the key's column, for the
    /// indentation of the lines a snippet adds.
    YamlItem { column: usize },
    /// A JSON key (`"createTable": {...}`); `quoted` when the opening quote is already typed.
    JsonKey { quoted: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spot {
    Nothing,
    /// A child element of the last frame. `wrapper` is the YAML/JSON list key the item sits under
    /// (`changes`, `columns`), which narrows what fits.
    Element {
        path: Vec<Frame>,
        replace: Span,
        style: Style,
        wrapper: Option<String>,
    },
    /// An attribute name of the last frame. In YAML and JSON a key of an element's mapping may also
    /// be a nested element (`columns:`, `constraints:`), so `keys` adds those; `column` is the key's
    /// column (YAML) for snippets that add lines.
    Attr {
        path: Vec<Frame>,
        replace: Span,
        keys: bool,
        column: usize,
    },
    /// The value of attribute `attr` of the last frame.
    Value {
        path: Vec<Frame>,
        attr: String,
        replace: Span,
    },
    /// A formatted-SQL `--changeset` header attribute name (`runOnChange:`).
    SqlHeaderAttr {
        replace: Span,
        present: Vec<String>,
    },
    /// The value of a formatted-SQL header attribute.
    SqlHeaderValue {
        attr: String,
        replace: Span,
    },
    /// A formatted-SQL directive at the start of a line (`--changeset`, `--rollback`, ...).
    SqlDirective {
        replace: Span,
    },
}
