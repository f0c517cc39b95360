//! saphyr's error texts name the parser state; these add what the writer of a changelog should do.

/// The message of a syntax diagnostic for saphyr's error `info`.
pub fn explain(info: &str) -> String {
    let hint = if info.contains("tab") {
        "indent with spaces: YAML does not allow tabs in indentation"
    } else if info.contains("recursion limit") {
        "flow collections (`[`, `{`) are nested too deeply here"
    } else if info.contains("mapping values are not allowed") {
        "a `key: value` is not allowed here: check the indentation, or quote a value that contains `: `"
    } else if info.contains("did not find expected key") {
        "this line is not aligned with the keys of its mapping: check the indentation"
    } else if info.contains("did not find expected '-'") {
        "this line is not aligned with the items of its list: check the indentation"
    } else if info.contains("did not find expected ',' or ']'") {
        "close the list with `]` or separate its items with `,`"
    } else if info.contains("did not find expected ',' or '}'") {
        "close the mapping with `}` or separate its entries with `,`"
    } else if info.contains("trailing content") {
        "separate it from what follows with `,` (in `{...}`/`[...]`) or start a new line"
    } else if info.contains("while scanning a quoted scalar") {
        "close the quoted string with its matching quote"
    } else if info.contains("could not find expected ':'") {
        "add `:` after the key"
    } else if info.contains("unexpected end of stream") || info.contains("end of stream") {
        "the document ends in the middle of a value: complete it"
    } else {
        "fix the YAML syntax here"
    };
    format!("YAML syntax error: {info}; {hint}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn tab_errors_say_to_use_spaces() {
        assert!(
            super::explain("tabs disallowed within this context (block indentation)")
                .contains("indent with spaces")
        );
    }
}
