//! What the Markdown of a site (Jekyll, Hugo, a Quarto website) carries
//! that a book's does not: template tags, which this format has no
//! templating for, and a title written as the body's level-one heading.

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Headings one level down when the body has a level-one heading (the
/// essay's title is its front matter's).
pub(super) fn demote(body: &str) -> String {
    let mut fence = false;
    let ones = body.lines().any(|l| {
        if is_fence(l) {
            fence = !fence;
        }
        !fence && l.starts_with("# ")
    });
    if !ones {
        return body.to_string();
    }
    let mut fence = false;
    let mut out = String::with_capacity(body.len() + 64);
    for line in body.split_inclusive('\n') {
        if is_fence(line) {
            fence = !fence;
        }
        if !fence
            && line.starts_with('#')
            && line.trim_start_matches('#').starts_with([' ', '\n'])
            && !line.starts_with("######")
        {
            out.push('#');
        }
        out.push_str(line);
    }
    out
}

/// The Liquid tags of a body outside code: (line, tag).
pub(super) fn liquid(body: &str) -> Vec<(usize, String)> {
    let mut fence = false;
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if is_fence(line) {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        // Inline code is left out: a tag shown as code is no tag.
        let mut plain = String::with_capacity(line.len());
        for (k, part) in line.split('`').enumerate() {
            if k % 2 == 0 {
                plain.push_str(part);
            } else {
                plain.extend(std::iter::repeat_n(' ', part.len()));
            }
        }
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
        assert_eq!(
            liquid("a {% include x.html %} b {{ page.title }}\n"),
            vec![(1, "{% include x.html %}".into()), (1, "{{ page.title }}".into())]
        );
    }
}
