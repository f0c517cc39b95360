//! The project index over the whole shared corpus: cold (scan, parse every changelog, resolve every
//! root, cross-file checks), and after a one-line edit in an included file (that file parsed again,
//! the index rebuilt from the parse cache).
//!
//! `cargo bench -p lqls --bench project`; the corpus is `../shared/corpus` (override with LQLS_CORPUS).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lqls::workspace::files::Files;
use lqls::workspace::paths;
use lqls::workspace::project::{Project, ProjectSettings};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> PathBuf {
    let p = std::env::var_os("LQLS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    paths::absolute(&p)
}

fn project(folder: &Path) -> Project {
    let mut p = Project::new(Arc::new(Files::new()));
    p.set_folders(vec![(folder.to_path_buf(), ProjectSettings::default())]);
    p
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let mut group = c.benchmark_group("project");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("cold index of the corpus", |b| {
        b.iter(|| {
            let p = project(&corpus);
            black_box(p.index(&[]).roots.len())
        })
    });
    // An included Fineract part: a one-line edit there changes what its root runs.
    let part = corpus.join(
        "fineract/fineract-provider/src/main/resources/db/changelog/tenant/parts/0010_add_external_id_to_loan.xml",
    );
    let part = if part.is_file() {
        part
    } else {
        lqls::workspace::project::changelog_files(&corpus)
            .into_iter()
            .find(|p| p.to_string_lossy().contains("/tenant/parts/"))
            .expect("an included Fineract part")
    };
    let text = std::fs::read_to_string(&part).expect("part");
    let edited = text.replacen("author=\"", "author=\"x", 1);
    let p = project(&corpus);
    let files = p.files.clone();
    let mut previous = p.index(&[]);
    let id = files.id(&part);
    let changed: std::collections::HashSet<usize> = [id].into_iter().collect();
    let mut flip = false;
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(
        "one-line edit in an included file: parse it, rebuild the index",
        |b| {
            b.iter(|| {
                flip = !flip;
                let t: &str = if flip { &edited } else { &text };
                files.set_overlay(&part, Arc::from(t));
                previous = p.reindex(&[], Some((&previous, &changed)));
                black_box(previous.diagnostics.len())
            })
        },
    );
    // The parts of a rebuild for the largest root (Fineract's master changelog): following its
    // includes, and replaying its changesets into the schema.
    let master = corpus
        .join("fineract/fineract-provider/src/main/resources/db/changelog/db.changelog-master.xml");
    let search = vec![corpus.join("fineract/fineract-provider/src/main/resources")];
    let opts = lqls::workspace::resolve::Options {
        search_paths: search,
        parameters: Vec::new(),
    };
    let warm = Files::new();
    let res = lqls::workspace::resolve::resolve(&warm, &master, &opts);
    group.bench_function(
        format!(
            "resolve the Fineract master ({} changesets, {} files)",
            res.entries.len(),
            res.files.len()
        ),
        |b| {
            b.iter(|| {
                black_box(
                    lqls::workspace::resolve::resolve(&warm, &master, &opts)
                        .entries
                        .len(),
                )
            })
        },
    );
    let filter = lqls::workspace::schema::Filter::default();
    group.bench_function("replay the Fineract master into its schema", |b| {
        b.iter(|| {
            black_box(
                lqls::workspace::project::replay_root(&warm, &res, &filter)
                    .touches()
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
