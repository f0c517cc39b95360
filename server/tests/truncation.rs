//! Every corpus changelog cut at many points (every byte for files under 4 KB) parses without panic and
//! keeps every changeset that ended before the cut, with the same id, author and change types.

mod common;

use lqls::{analysis, syntax, validate};

#[test]
fn truncated_corpus_files_keep_the_changesets_before_the_cut() {
    let files = common::corpus_changelogs();
    let failures = std::sync::Mutex::new(Vec::new());
    common::par_each(&files, |path| {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let format = syntax::detect_format(Some(path), &text);
        let opts = validate::Options::default();
        let full = analysis::analyze(&text, format, &opts).changelog;
        let full_ids = common::identities(&full);
        let mut cuts: Vec<usize> = if text.len() < 4096 {
            (0..=text.len()).collect()
        } else {
            // 150 even points plus the end of every changeset: the interesting places
            let step = text.len() / 150;
            let mut v: Vec<usize> = (0..150).map(|i| i * step).collect();
            v.extend(full.changesets.iter().map(|cs| cs.span.end));
            v
        };
        cuts.retain(|&c| text.is_char_boundary(c));
        for cut in cuts {
            let part = &text[..cut];
            let got = analysis::analyze(part, format, &opts).changelog;
            let n = full
                .changesets
                .iter()
                .take_while(|cs| cs.span.end <= cut)
                .count();
            let complete = &full_ids[..n];
            let kept = common::identities(&got);
            if kept.len() < n || kept[..n] != *complete {
                failures.lock().unwrap().push(format!(
                    "{} cut at byte {cut}: expected the first {} changesets {:?}, got {:?}",
                    path.display(),
                    complete.len(),
                    complete.last(),
                    kept.get(complete.len().saturating_sub(1))
                ));
                break; // one report per file is enough
            }
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} files lose changesets when truncated:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
