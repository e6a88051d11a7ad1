//! What a text written for pandoc or Quarto needs on import besides its
//! links: those tools print a lone image's alternative text as its caption,
//! and run code chunks that a book only shows. Each is an edit of the body
//! at the place the Markdown parser gives.

/// What a text written for pandoc or Quarto needs besides its links: its
/// figures' captions, and its code chunks' braces (`{r, echo=FALSE}`) made
/// the language they name, the code kept and never run (one note).
pub(super) fn edits(
    body: &str,
    notes: &mut Vec<(usize, String, &'static str)>,
) -> Vec<(std::ops::Range<usize>, String)> {
    let mut edits = figure_captions(body);
    let chunks = crate::input::markdown::chunks(body);
    if let Some((first, _)) = chunks.first() {
        let mut langs: Vec<&str> = chunks.iter().map(|(_, l)| l.as_str()).filter(|l| !l.is_empty()).collect();
        langs.sort_unstable();
        langs.dedup();
        notes.push((
            body[..first.start].matches('\n').count() + 1,
            format!(
                "{} code chunk{} ({}) kept as code: a book never runs code, so what {} printed is not in it",
                chunks.len(),
                if chunks.len() == 1 { "" } else { "s" },
                langs.join(", "),
                if chunks.len() == 1 { "it" } else { "they" }
            ),
            "render the source with its tool and import the `.md` it writes to keep the results",
        ));
    }
    edits.extend(chunks);
    edits
}

/// pandoc and Quarto print the alternative text of an image alone in its
/// paragraph as its caption (a site's Markdown does not); this format
/// takes a figure's caption from its title. Each such image without a title is given its alternative
/// text as title, so that the caption prints in every edition.
fn figure_captions(body: &str) -> Vec<(std::ops::Range<usize>, String)> {
    crate::input::markdown::destinations(body)
        .into_iter()
        .filter(|d| d.image && d.alone && !d.html && !d.titled)
        .filter_map(|d| {
            let alt = body.get(d.text.clone())?.trim();
            let alt = crate::input::markdown::plain(alt);
            if alt.is_empty() {
                return None;
            }
            let title = alt.replace('\\', "\\\\").replace('"', "\\\"");
            Some((
                d.at.end + usize::from(body[d.at.end..].starts_with('>'))
                    ..d.at.end + usize::from(body[d.at.end..].starts_with('>')),
                format!(" \"{title}\""),
            ))
        })
        .collect()
}
