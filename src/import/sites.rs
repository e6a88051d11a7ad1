//! What the Markdown of a site (Jekyll, Hugo, a Quarto website) carries
//! that a book's does not: template tags, which this format has no
//! templating for, and a title written as the body's level-one heading.

use crate::input::markdown::{code_blocks, code_spans, prose_blocks};

/// Headings one level down when the body has a level-one heading (the
/// essay's title is its front matter's). Headings as the parser reads them:
/// a `#` line in code is code.
pub(super) fn demote(body: &str) -> String {
    if !body.contains('#') {
        return body.to_string();
    }
    // Where each `#` heading's first `#` is, however deep (in a div, a
    // list), with its level.
    let headings: Vec<(usize, usize)> = prose_blocks(body)
        .into_iter()
        .filter(|(at, heading)| *heading && body[at.clone()].starts_with('#'))
        .map(|(at, _)| (at.start, body[at.start..].len() - body[at.start..].trim_start_matches('#').len()))
        .collect();
    if !headings.iter().any(|(_, level)| *level == 1) {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len() + headings.len());
    let mut from = 0;
    for (at, level) in headings {
        if level < 6 {
            out.push_str(&body[from..at]);
            out.push('#');
            from = at;
        }
    }
    out.push_str(&body[from..]);
    out
}

/// The Liquid tags of a body outside code (a tag shown as code is no tag):
/// (line, tag).
pub(super) fn liquid(body: &str) -> Vec<(usize, String)> {
    if !body.contains("{%") && !body.contains("{{") {
        return Vec::new();
    }
    let code = code_blocks(body);
    let spans: Vec<std::ops::Range<usize>> = code_spans(body).into_iter().map(|(at, _)| at).collect();
    let in_code = |at: usize| spans.iter().any(|r| r.contains(&at));
    let mut out = Vec::new();
    let mut start = 0;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let at = start;
        start += line.len();
        if code.iter().any(|r| r.contains(&at)) || !(line.contains("{%") || line.contains("{{")) {
            continue;
        }
        let plain: String = line.char_indices().map(|(k, c)| if in_code(at + k) { ' ' } else { c }).collect();
        for (open, close) in [("{%", "%}"), ("{{", "}}")] {
            let mut rest = plain.as_str();
            while let Some(a) = rest.find(open) {
                let Some(b) = rest[a..].find(close) else { break };
                out.push((i + 1, rest[a..a + b + 2].to_string()));
                rest = &rest[a + b + 2..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_go_down_a_level_and_liquid_is_found() {
        assert_eq!(demote("# A\ntext\n## B\n```\n# not\n```\n"), "## A\ntext\n### B\n```\n# not\n```\n");
        assert_eq!(demote("## A\n"), "## A\n");
        // A fence's line inside code (indented in a YAML block) closes nothing.
        let yaml = "# A\n\n```yaml\n  message: |\n      ```\n      {{ steps.x }}\n# not\n      ```\n```\n\n- item `{{ code }}`\n\n  ```\n  {% raw %}\n  ```\n";
        assert_eq!(liquid(yaml), vec![]);
        assert_eq!(demote(yaml), format!("#{yaml}"));
        assert_eq!(
            liquid("a {% include x.html %} b {{ page.title }}\n"),
            vec![(1, "{% include x.html %}".into()), (1, "{{ page.title }}".into())]
        );
    }
}
