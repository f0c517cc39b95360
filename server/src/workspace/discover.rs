//! Finding a project's root changelogs and search paths: `liquibase.properties` (`changelog-file`,
//! `search-path`, `parameter.*`), the `[project]` table of `lqls.toml`, and conventional names.

use std::path::{Path, PathBuf};

use super::paths;
use super::properties::{parse_java_properties, PropDef};

/// File names projects give their master changelog (Spring Boot, JHipster, Liquibase's docs).
pub const CONVENTIONAL_ROOTS: &[&str] = &[
    "db.changelog-master.xml",
    "db.changelog-master.yaml",
    "db.changelog-master.yml",
    "db.changelog-master.json",
    "db.changelog-master.sql",
    "changelog-master.xml",
    "changelog-master.yaml",
    "changelog-master.yml",
    "master.xml",
    "master.yaml",
    "master.yml",
    "changelog.xml",
    "changelog.yaml",
    "changelog.yml",
];

/// The search path Liquibase would use for `root` when none is configured: the nearest ancestor
/// folder named `resources` (the Maven/Gradle classpath root, where Spring Boot's and the Maven
/// plugin's runs resolve paths), else the current folder when it holds the root (the CLI's default),
/// else the root's own folder.
pub fn default_search_path(root: &Path) -> PathBuf {
    let root = paths::absolute(root);
    if let Some(res) = root
        .ancestors()
        .skip(1)
        .find(|a| a.file_name().is_some_and(|n| n == "resources"))
    {
        return res.to_path_buf();
    }
    if let Ok(cwd) = std::env::current_dir() {
        if root.starts_with(&cwd) {
            return cwd;
        }
    }
    root.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// What a `liquibase.properties` file says about the project.
#[derive(Clone, Debug, Default)]
pub struct LiquibaseProperties {
    pub file: PathBuf,
    /// `changelog-file` / `changeLogFile`, as written (a resource path).
    pub changelog_file: Option<String>,
    /// `search-path` / `searchPath`, resolved against the file's folder.
    pub search_paths: Vec<PathBuf>,
    /// `parameter.NAME=value` entries.
    pub parameters: Vec<PropDef>,
}

pub fn read_liquibase_properties(file: &Path) -> Option<LiquibaseProperties> {
    let text = std::fs::read_to_string(file).ok()?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut out = LiquibaseProperties {
        file: file.to_path_buf(),
        ..Default::default()
    };
    for (key, value) in parse_java_properties(&text) {
        let k = key
            .strip_prefix("liquibase.command.")
            .or_else(|| key.strip_prefix("liquibase."))
            .unwrap_or(&key);
        match k {
            "changelog-file" | "changeLogFile" | "changelogFile" => {
                out.changelog_file = Some(value);
            }
            "search-path" | "searchPath" => {
                out.search_paths = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| paths::absolute(&dir.join(s)))
                    .collect();
            }
            _ => {
                if let Some(name) = key.strip_prefix("parameter.") {
                    out.parameters.push(PropDef {
                        name: name.to_string(),
                        value,
                        at: None,
                        conditional: false,
                    });
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_search_path_is_the_resources_folder() {
        let p = default_search_path(Path::new("/w/src/main/resources/db/changelog/master.xml"));
        assert_eq!(p, Path::new("/w/src/main/resources"));
        let p = default_search_path(Path::new("/elsewhere/db/master.xml"));
        assert_eq!(p, Path::new("/elsewhere/db"));
    }

    #[test]
    fn reads_liquibase_properties() {
        let dir = std::env::temp_dir().join(format!("lqls-props-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("liquibase.properties");
        std::fs::write(
            &f,
            "changeLogFile=db/master.xml\nsearch-path=src/main/resources, other\nparameter.schema=app\nurl=jdbc:h2:mem:x\n",
        )
        .unwrap();
        let lp = read_liquibase_properties(&f).unwrap();
        assert_eq!(lp.changelog_file.as_deref(), Some("db/master.xml"));
        assert_eq!(
            lp.search_paths,
            vec![dir.join("src/main/resources"), dir.join("other")]
        );
        assert_eq!(lp.parameters.len(), 1);
        assert_eq!(lp.parameters[0].name, "schema");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
