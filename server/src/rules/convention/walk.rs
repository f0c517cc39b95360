//! Walking every attribute of a change, for the rules that look at literal values.

use crate::model::{Attr, Element};

/// Calls `f` with every attribute of `el` and its descendants, and the element holding it.
pub(crate) fn attrs<'a>(el: &'a Element, f: &mut dyn FnMut(&'a Element, &'a Attr)) {
    for a in &el.attrs {
        f(el, a);
    }
    for c in &el.children {
        attrs(c, f);
    }
}
