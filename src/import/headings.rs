//! A text's headings as an importer needs them: the first level-one
//! heading is the essay's title (with the id pandoc would give it), and
//! the sections below it go one level down when they were written at level
//! one. Found by the parser, never by scanning lines.

/// The first level-one heading (as the parser finds it, never in code),
/// its id if it has one, and the body without it (an empty line in its
/// place, so that the lines after it keep their numbers).
pub(super) fn first_heading(body: &str) -> Option<(String, String, Option<String>)> {
    let at = crate::input::markdown::blocks(body).into_iter().find_map(|b| match b {
        crate::input::markdown::TopBlock::Heading { at, level: 1 } => Some(at),
        _ => None,
    })?;
    let written = &body[at.clone()];
    let line = written.lines().next().unwrap_or("").trim();
    // An ATX heading (`# Title #`), or a setext one (`Title` over `===`).
    let t = match line.strip_prefix('#') {
        Some(t) => t.trim().trim_end_matches('#').trim(),
        None => line,
    };
    // `# Writing {#sec-writing .unnumbered}`: the attributes are not the title.
    let (t, id) = match t.rfind('{').filter(|_| t.ends_with('}')) {
        Some(i) => {
            let attrs = &t[i + 1..t.len() - 1];
            let id = attrs.split_whitespace().find_map(|a| a.strip_prefix('#')).map(str::to_string);
            (&t[..i], id)
        }
        None => (t, None),
    };
    let rest = format!("{}\n{}", &body[..at.start], &body[at.end..]);
    Some((t.trim().to_string(), rest, id))
}

/// `body` with every heading one level down when one of them is at level
/// one (ATX headings, found by the parser; a level six stays), how many
/// moved, and where the first level-one heading was.
pub(super) fn lower_headings(body: &str) -> (String, usize, usize) {
    use crate::input::markdown::TopBlock;
    let headings: Vec<(std::ops::Range<usize>, u8)> = crate::input::markdown::blocks(body)
        .into_iter()
        .filter_map(|b| match b {
            TopBlock::Heading { at, level } if body[at.clone()].trim_start().starts_with('#') => Some((at, level)),
            _ => None,
        })
        .collect();
    let Some(first) = headings.iter().find(|(_, l)| *l == 1).map(|(at, _)| at.start) else {
        return (body.to_string(), 0, 0);
    };
    let mut out = String::with_capacity(body.len() + headings.len());
    let mut from = 0;
    let mut moved = 0;
    for (at, level) in headings {
        if level >= 6 {
            continue;
        }
        let hash = at.start + body[at.clone()].find('#').unwrap_or(0);
        out.push_str(&body[from..hash]);
        out.push('#');
        from = hash;
        moved += 1;
    }
    out.push_str(&body[from..]);
    (out, moved, first)
}

/// pandoc's identifier for a heading that has none: its text in lower
/// case, spaces as dashes, without what is not a letter, a digit, `_`, `-`
/// or `.`, from its first letter.
pub(super) fn pandoc_id(title: &str) -> String {
    let kept: String = title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect();
    kept.trim_start_matches(|c: char| !c.is_alphabetic()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_one_sections_go_one_level_down() {
        let (out, n, first) = lower_headings("Intro.\n\n# One\n\nText.\n\n## Sub\n\n```\n# code\n```\n\n# Two\n");
        assert_eq!(first, 8);
        assert_eq!(out, "Intro.\n\n## One\n\nText.\n\n### Sub\n\n```\n# code\n```\n\n## Two\n");
        assert_eq!(n, 3);
        assert_eq!(lower_headings("## Already\n").1, 0);
    }

    #[test]
    fn headings_without_ids_are_named_as_pandoc_names_them() {
        assert_eq!(pandoc_id("Methods"), "methods");
        assert_eq!(pandoc_id("2. R Markdown: The Basics!"), "r-markdown-the-basics");
        assert_eq!(pandoc_id("Écrire à plusieurs"), "écrire-à-plusieurs");
        let (title, rest, id) =
            first_heading("```\n# not a heading\n```\n\n# Real {#sec-real .unnumbered}\n\nText.\n").unwrap();
        assert_eq!((title.as_str(), id.as_deref()), ("Real", Some("sec-real")));
        assert!(rest.contains("# not a heading") && !rest.contains("# Real"));
    }
}
