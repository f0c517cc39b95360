//! `textDocument/completion`: protocol position → byte offset, [`crate::complete`] → protocol items.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::convert;
use super::store::{file_path, Snapshot};
use crate::catalog::Version;
use crate::complete::{self, Clock, FileNames, Item, ItemKind, Prefs};
use crate::rules::config::Config;
use crate::text::PositionEncoding;

/// The code of `changeset-id-pattern`, whose `pattern` option new changeset ids follow.
const ID_RULE: &str = "TC305";

/// The proposals at `pos` of the snapshot's text.
pub fn items(
    uri: &Uri,
    snap: &Snapshot,
    pos: lsp::Position,
    enc: PositionEncoding,
    config: &Config,
    configured_version: Option<&str>,
    project: Option<&super::project_names::ProjectNames>,
) -> Vec<lsp::CompletionItem> {
    let text = &*snap.text;
    let path = file_path(uri);
    let format = crate::syntax::detect_format(Some(Path::new(uri.path().as_str())), text);
    let offset = snap
        .index
        .offset(text, convert::from_lsp_position(pos), enc);
    let local = match &snap.analysis {
        Some(a) => FileNames::new(&a.changelog),
        None => FileNames::new(&crate::syntax::parse(text, format).changelog),
    };
    let names = super::project_names::Combined { project, local };
    let mut prefs = prefs(config, path.as_deref().and_then(Path::parent));
    // as validation does: the older of the XSD the file declares and the configured Liquibase
    let declared = snap
        .analysis
        .as_ref()
        .and_then(|a| a.changelog.xsd_version.as_ref())
        .and_then(|v| Version::parse(&v.value));
    let configured = configured_version
        .or(config.settings.liquibase_version.as_deref())
        .and_then(Version::parse);
    prefs.version = match (declared, configured) {
        (Some(d), Some(c)) => Some(d.min(c)),
        (d, c) => d.or(c),
    };
    complete::complete(text, format, offset, &names, &prefs)
        .into_iter()
        .map(|item| to_lsp(snap, item, enc))
        .collect()
}

/// Preferences from the configuration, git and the environment.
fn prefs(config: &Config, dir: Option<&Path>) -> Prefs {
    let author = config
        .completion_author()
        .map(str::to_string)
        .or_else(|| git_user(dir));
    let id_pattern = config
        .configured_option(ID_RULE, "pattern")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .or_else(|| {
            // an enabled rule with its default pattern is a convention too
            let rule = crate::rules::registry::find(ID_RULE)?;
            config.resolve(rule)?;
            match rule.option("pattern")?.default {
                crate::rules::OptDefault::Regex(p) => Some(p.to_string()),
                _ => None,
            }
        });
    Prefs {
        author,
        fallback_author: std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok(),
        id_pattern,
        now: Clock::now(),
        version: None,
    }
}

/// `git config user.name`, asked once per server (it does not change while an editor runs) and given
/// a second at most: completion must not hang on a slow or prompting git.
fn git_user(dir: Option<&Path>) -> Option<String> {
    static USER: OnceLock<Option<String>> = OnceLock::new();
    USER.get_or_init(|| {
        let mut cmd = std::process::Command::new("git");
        cmd.args(["config", "user.name"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        if let Some(d) = dir.filter(|d| d.is_dir()) {
            cmd.current_dir(d);
        }
        let mut child = cmd.spawn().ok()?;
        let deadline = Instant::now() + Duration::from_secs(1);
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => break,
                Ok(Some(_)) | Err(_) => return None,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        let mut out = String::new();
        std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
        let name = out.trim();
        (!name.is_empty()).then(|| name.to_string())
    })
    .clone()
}

fn kind(k: ItemKind) -> lsp::CompletionItemKind {
    match k {
        ItemKind::ChangeType => lsp::CompletionItemKind::FUNCTION,
        ItemKind::Element => lsp::CompletionItemKind::CLASS,
        ItemKind::Attribute => lsp::CompletionItemKind::PROPERTY,
        ItemKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        ItemKind::Table => lsp::CompletionItemKind::STRUCT,
        ItemKind::Column => lsp::CompletionItemKind::FIELD,
        ItemKind::Property => lsp::CompletionItemKind::VARIABLE,
        ItemKind::Snippet => lsp::CompletionItemKind::SNIPPET,
    }
}

fn to_lsp(snap: &Snapshot, item: Item, enc: PositionEncoding) -> lsp::CompletionItem {
    let range = convert::range(snap, item.replace, enc);
    lsp::CompletionItem {
        label: item.label,
        kind: Some(kind(item.kind)),
        detail: item.detail,
        documentation: item.documentation.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        sort_text: Some(item.sort_text),
        // editors filter on the replaced text; the label is what it is compared with
        filter_text: None,
        insert_text_format: Some(if item.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        // snippet lines carry their own indentation (YAML depends on exact columns)
        insert_text_mode: item
            .insert_text
            .contains('\n')
            .then_some(lsp::InsertTextMode::AS_IS),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range,
            new_text: item.insert_text,
        })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_from_the_configuration() {
        let toml = "[completion]\nauthor = \"zoe\"\n[rules.changeset-id-pattern]\npattern = \"^x-[0-9]+$\"\n";
        let config = Config::from_toml(toml).config.unwrap();
        let p = prefs(&config, None);
        assert_eq!(p.author.as_deref(), Some("zoe"));
        assert_eq!(p.id_pattern.as_deref(), Some("^x-[0-9]+$"));
        // an enabled rule without a pattern: its default is the convention; off and unset: none
        let on = Config::from_toml("[rules]\nchangeset-id-pattern = \"warning\"\n")
            .config
            .unwrap();
        assert_eq!(
            prefs(&on, None).id_pattern.as_deref(),
            Some("^[0-9]{8}-[0-9]+$")
        );
        assert_eq!(prefs(&Config::default(), None).id_pattern, None);
    }
}
