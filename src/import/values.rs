//! Metadata values (YAML or TOML, read as TOML values) as the plain text
//! and lists the importers write: the one reading every importer shares.

/// A value as one line of text.
pub(super) fn plain(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// A list, or a comma-separated string, as items.
pub(super) fn list(v: &toml::Value) -> Vec<String> {
    match v {
        toml::Value::Array(a) => a.iter().map(plain).filter(|s| !s.is_empty()).collect(),
        other => plain(other).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
    }
}
