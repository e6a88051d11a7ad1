//! Quarto's embeds (`{{< embed notebooks/map.ipynb#fig-map >}}`): a figure
//! that a notebook's cell made, shown in a manuscript. A book never runs
//! code, but a notebook keeps what its cells printed: the cell the label
//! names gives its stored picture, its caption (`#| fig-cap:`) and its
//! description (`#| fig-alt:`), and the embed becomes that figure, with the
//! label as its id, so that `@fig-map` still leads to it. A notebook without
//! that picture (a `.qmd`, which keeps none; a cell never run) leaves the
//! embed out, with a note, rather than print the shortcode.

use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

/// What the embeds of a text became.
#[derive(Debug, Default)]
pub(super) struct Embedded {
    /// The text, each embed's line replaced (the line count kept).
    pub text: String,
    /// The pictures taken out of the notebooks: (file name, bytes).
    pub made: Vec<(String, Vec<u8>)>,
    /// What could not be carried: (line, message).
    pub notes: Vec<(usize, String)>,
}

/// `text` (the file `path`) with each line that is only an embed replaced
/// by the figure it shows; notebooks are read from the file's folder, never
/// from outside `root`.
pub(super) fn embeds(text: &str, path: &Path, root: &Path) -> Embedded {
    let mut out = Embedded { text: String::with_capacity(text.len()), ..Embedded::default() };
    let dir = path.parent().unwrap_or(root);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let Some(inner) = line.trim().strip_prefix("{{< embed ").and_then(|r| r.strip_suffix(">}}")) else {
            out.text.push_str(line);
            continue;
        };
        let written = inner.split_whitespace().next().unwrap_or("").trim_matches(['"', '\'']);
        let (file, label) = written.split_once('#').unwrap_or((written, ""));
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        match figure(dir, root, file, label) {
            Ok((name, bytes, caption, alt)) => {
                let alt = alt.unwrap_or_else(|| caption.clone()).replace('"', "'");
                out.text.push_str(&format!("![{caption}]({name}){{#{label} fig-alt=\"{alt}\"}}{newline}"));
                out.made.push((name, bytes));
            }
            Err(why) => {
                out.text.push_str(newline);
                out.notes.push((n + 1, format!("the embedded `{written}` left out: {why}")));
            }
        }
    }
    out
}

/// The picture of the cell labelled `label` in the notebook `file`: its
/// file name, its bytes, the caption and the description.
fn figure(
    dir: &Path,
    root: &Path,
    file: &str,
    label: &str,
) -> Result<(String, Vec<u8>, String, Option<String>), String> {
    if label.is_empty() {
        return Err("it names no cell (`notebook.ipynb#fig-label`)".into());
    }
    if !file.ends_with(".ipynb") {
        return Err(
            "only a Jupyter notebook (`.ipynb`) keeps the pictures its cells made; a book never runs code".into()
        );
    }
    let target = dir.join(file.trim_start_matches('/'));
    let real = target.canonicalize().map_err(|_| "a file the collection does not have".to_string())?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !real.starts_with(&root) {
        return Err("outside the collection".into());
    }
    let size = std::fs::metadata(&real).map(|m| m.len()).unwrap_or(u64::MAX);
    if size > super::MAX_ASSET {
        return Err(format!("larger than the {} MiB a file may have", super::MAX_ASSET >> 20));
    }
    let json: Value = std::fs::read_to_string(&real)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| "not a notebook that can be read".to_string())?;
    let joined = |v: Option<&Value>| -> String {
        match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => String::new(),
        }
    };
    let cells = json.get("cells").and_then(Value::as_array).cloned().unwrap_or_default();
    let option = |source: &str, key: &str| -> Option<String> {
        let (options, _) = super::knit::cell_options(source);
        options.into_iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !v.is_empty())
    };
    let cell = cells
        .iter()
        .find(|c| option(&joined(c.get("source")), "label").as_deref() == Some(label))
        .ok_or_else(|| format!("no cell of `{file}` is labelled `{label}`"))?;
    let source = joined(cell.get("source"));
    let outputs = cell.get("outputs").and_then(Value::as_array).cloned().unwrap_or_default();
    let safe: String = label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    for o in &outputs {
        let Some(data) = o.get("data") else { continue };
        for (mime, ext) in [("image/png", "png"), ("image/jpeg", "jpg"), ("image/svg+xml", "svg")] {
            let Some(v) = data.get(mime) else { continue };
            let text = joined(Some(v));
            let bytes = if ext == "svg" {
                text.into_bytes()
            } else {
                let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                base64::engine::general_purpose::STANDARD.decode(clean).map_err(|e| format!("its picture: {e}"))?
            };
            let caption = option(&source, "fig-cap").unwrap_or_default();
            return Ok((format!("{safe}.{ext}"), bytes, caption, option(&source, "fig-alt")));
        }
    }
    Err(format!("the cell `{label}` keeps no picture (it was never run, or it draws none); a book never runs code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notebooks_stored_picture_becomes_the_figure() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("notebooks")).unwrap();
        let png = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nrest");
        let nb = serde_json::json!({"cells": [
            {"cell_type": "code", "source": ["#| label: fig-map\n", "#| fig-cap: \"The map.\"\n", "#| fig-alt: \"Dots on\n", "#|   a map.\"\n", "plot()"],
             "outputs": [{"output_type": "display_data", "data": {"image/png": png, "text/plain": "<Figure>"}}]},
            {"cell_type": "code", "source": "#| label: fig-none\nx = 1", "outputs": []}
        ]});
        std::fs::write(root.join("notebooks/a.ipynb"), nb.to_string()).unwrap();
        std::fs::write(root.join("notebooks/b.qmd"), "x").unwrap();
        let text = "See @fig-map.\n\n{{< embed notebooks/a.ipynb#fig-map >}}\n\n{{< embed notebooks/a.ipynb#fig-none >}}\n{{< embed notebooks/b.qmd#fig-x >}}\n{{< embed ../../etc/passwd#x >}}\n{{{< embed shown.ipynb#x >}}}\n";
        let e = embeds(text, &root.join("index.qmd"), root);
        assert_eq!(e.text.lines().count(), text.lines().count());
        assert!(e.text.contains("![The map.](fig-map.png){#fig-map fig-alt=\"Dots on a map.\"}\n"), "{}", e.text);
        assert!(e.text.contains("{{{< embed shown.ipynb#x >}}}"));
        assert_eq!(e.made, [("fig-map.png".to_string(), b"\x89PNG\r\n\x1a\nrest".to_vec())]);
        let lines: Vec<usize> = e.notes.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [5, 6, 7], "{:?}", e.notes);
        assert!(e.notes[0].1.contains("keeps no picture") && e.notes[1].1.contains("only a Jupyter notebook"));
    }
}
