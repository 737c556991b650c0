//! Loading TOML files with errors that name the file, the path inside it and the problem.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A definition or calendar file that could not be loaded.
///
/// Displayed as `file: path: problem`, e.g.
/// `definitions/fire-credit/2024-03-21.toml: levels[1].min: levels overlap ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{file}: {path}: {problem}")]
pub struct LoadError {
    /// The file (or source name) that failed.
    pub file: String,
    /// The path inside the file, e.g. `points.areas[2].items[0].max` (empty for the whole file).
    pub path: String,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl LoadError {
    pub(crate) fn new(file: &str, path: impl Into<String>, problem: impl Into<String>) -> Self {
        LoadError {
            file: file.to_owned(),
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// Parse TOML into `T`, reporting syntax errors with their line and type
/// errors with the key path.
pub(crate) fn parse_toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, LoadError> {
    let value: toml::Value = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        LoadError::new(
            file,
            format!("line {line}, column {col}"),
            format!("invalid TOML: {}", e.message()),
        )
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        LoadError::new(file, path, e.into_inner().to_string())
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
