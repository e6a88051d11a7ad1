//! `anthology desk`: the editor's desk (see [`anthology::desk`]): who was
//! invited, where each contributor stands, and the approvals.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anthology::desk::{self, Answer, Approval, state};
use anyhow::{Context, Result, bail};

use super::OutputFormat;

/// What `anthology desk` does besides listing.
#[derive(clap::Subcommand, Debug)]
pub enum DeskCommand {
    /// Add the people of a spreadsheet (CSV, TSV or XLSX: the columns `import roster` reads,
    /// plus `due`, the deadline as YYYY-MM-DD) to the desk; anyone already there is left as is.
    Invite {
        /// The spreadsheet.
        file: PathBuf,
        /// Who the desk's messages are from ("Name <address>"), kept in desk.toml's [desk] table.
        #[arg(long)]
        from: Option<String>,
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Where the invitations (.eml, messages.csv) go, relative to the book's folder.
        #[arg(long, default_value = "dist/invitations")]
        out: PathBuf,
    },
    /// Write a reminder to everyone late, and to every author whose proof waits for their approval.
    Remind {
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Where the reminders go, relative to the book's folder.
        #[arg(long, default_value = "dist/reminders")]
        out: PathBuf,
    },
    /// Write each contributor's share kit for publication day: a message with their offprint and
    /// share card attached, the post to share, their essay's address and the book's.
    Announce {
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Where the messages go, relative to the book's folder.
        #[arg(long, default_value = "dist/announcements")]
        out: PathBuf,
    },
    /// Make the proof of each essay (its offprint as the book prints it, marked as a proof, with
    /// what changed since an earlier approval) and a message to each of its authors with the
    /// proof attached (.eml files and messages.csv); nothing is sent. Needs `[desk] from`.
    Proofs {
        /// The essays (all when none is named).
        slugs: Vec<String>,
        /// Only the essays added or changed since this git revision (a pull request's base):
        /// in CI, the proofs of a pull request, as its preview.
        #[arg(long, value_name = "BASE", conflicts_with = "slugs")]
        changed: Option<String>,
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// The folder to write, relative to the book's folder unless absolute.
        #[arg(long, default_value = "dist/proofs")]
        out: PathBuf,
    },
    /// Record an invitee's answer: agreed or declined.
    Answer {
        /// Their name, as invited.
        name: String,
        /// What they answered.
        #[arg(value_parser = ["agreed", "declined"])]
        answer: String,
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Record that an author approved the current text of an essay (its source and its files,
    /// as they are now); once the text changes, their state is `changed`.
    Approve {
        /// The essay's slug; a translation's is its original's, a dot and its language
        /// (`passeurs.en`).
        slug: String,
        /// Who approved: an author of the essay, or a translator of the translation.
        #[arg(long)]
        by: String,
        /// The licence they grant (such as "CC BY 4.0").
        #[arg(long)]
        licence: Option<String>,
        /// Whether they consent to their photo being printed.
        #[arg(long, value_parser = ["yes", "no"])]
        photo: Option<String>,
        /// Whether they consent to their handle being printed.
        #[arg(long, value_parser = ["yes", "no"])]
        handle: Option<String>,
        /// The book.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

/// `anthology desk` with no command: one line per contributor, or JSON.
pub fn list(dir: &Path, format: OutputFormat) -> Result<ExitCode> {
    let checked = anthology::check(dir)?;
    let d = load_desk(dir)?;
    let rows = state::rows(&checked.loaded, &d, &|e| state::has_errors(&checked.report, e), &desk::today());
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let value = serde_json::json!({ "contributors": rows });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        OutputFormat::Human | OutputFormat::Github => {
            let width = rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(4).max(4);
            let essays = |r: &state::Row| if r.essays.is_empty() { "-".to_string() } else { r.essays.join(", ") };
            let ew = rows.iter().map(|r| essays(r).chars().count()).max().unwrap_or(5).max(5);
            writeln!(
                out,
                "{:width$}  {:ew$}  {:>11}  {:10}  {:10}  missing",
                "name", "essay", "words", "state", "due"
            )?;
            for r in &rows {
                let words = r.words_against_limit("/");
                writeln!(
                    out,
                    "{:width$}  {:ew$}  {:>11}  {:10}  {:10}  {}",
                    r.name,
                    essays(r),
                    words,
                    r.state.as_str(),
                    r.due.as_deref().unwrap_or("-"),
                    r.missing.join(", ")
                )?;
            }
            super::ui::tell(&state::summary(&rows));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `anthology desk invite|answer|approve`.
pub fn run(ui: &super::ui::Ui, what: DeskCommand) -> Result<ExitCode> {
    match what {
        DeskCommand::Invite { file, from, dir, out } => {
            let (config, _, _) = anthology::config::load(&dir);
            let Some(config) = config else { bail!("{}: no usable book.toml (see `anthology check`)", dir.display()) };
            let people = desk::invite::read(&file, &desk::today()).map_err(anyhow::Error::msg)?;
            let added = desk::invite(&dir, &config.language, &people)?;
            if let Some(f) = &from {
                desk::set_from(&dir, f)?;
            }
            for p in &added {
                let due = p.due.as_deref().map(|d| format!(", due {d}")).unwrap_or_default();
                ui.say(&format!("invited {}{due}", p.name));
            }
            let already = people.len() - added.len();
            ui.say(&format!(
                "{} invited, {already} already on the desk: {}",
                added.len(),
                dir.join(desk::DESK_FILE).display()
            ));
            let d = load_desk(&dir)?;
            match desk::messages::sender(&d) {
                Ok(from) if !added.is_empty() => {
                    let out = dir.join(out);
                    let written = desk::messages::invitations(&dir, &config, &from, &added, &out, &desk::today())?;
                    say_written(ui, "invitations", &written, &out);
                }
                Ok(_) => {}
                Err(why) => ui.say(&format!("no invitation written: {why}")),
            }
        }
        DeskCommand::Remind { dir, out } => {
            let d = load_desk(&dir)?;
            let checked = anthology::check(&dir)?;
            let rows = state::rows(&checked.loaded, &d, &|e| state::has_errors(&checked.report, e), &desk::today());
            // The book ordered from the check above, not loaded again.
            let ordered = (checked.report.errors() == 0).then(|| anthology::order::order(checked.loaded, false));
            let Some(book) = ordered.flatten() else {
                bail!("the book has errors (see `anthology check`)");
            };
            let out = dir.join(out);
            let written = desk::messages::reminders(&book, &d, &rows, &out, &desk::today())?;
            say_written(ui, "reminders", &written, &out);
        }
        DeskCommand::Announce { dir, out } => {
            let d = load_desk(&dir)?;
            let Some(mut book) = anthology::prepare(&dir, false)?.0 else {
                bail!("the book has errors (see `anthology check`)");
            };
            desk::apply_consents(&mut book);
            let out = dir.join(out);
            let written = desk::messages::announcements(&book, &d, &out, &desk::today())?;
            say_written(ui, "announcements", &written, &out);
        }
        DeskCommand::Proofs { slugs, changed, dir, out } => {
            // A book without a desk gets the proofs alone (a pull request in CI).
            let d = desk::load(&dir).map_err(|d| anyhow::anyhow!("{}: {}", desk::DESK_FILE, d.message))?;
            let record = d.is_some();
            let d = d.unwrap_or_default();
            let slugs = match &changed {
                Some(base) => {
                    let (_, changes) = anthology::check_changed(&dir, base)?;
                    if changes.essays.is_empty() {
                        ui.say(&format!("no essay changed since {base}: no proof"));
                        return Ok(ExitCode::SUCCESS);
                    }
                    changes.essays.into_iter().collect()
                }
                None => slugs,
            };
            let (book, report) = anthology::prepare(&dir, false)?;
            super::ui::print_report(&report, anthology::diagnostic::Format::Human)?;
            let Some(mut book) = book else {
                eprintln!("{}; no proof was made", super::ui::has_errors(&report));
                return Ok(ExitCode::from(1));
            };
            desk::apply_consents(&mut book);
            let out = dir.join(out);
            let made = desk::proofs::make(book, &d, record, &slugs, &out, &desk::today())?;
            ui.say(&format!("{} proofs: {}", made.essays.len(), out.display()));
            match d.desk.from {
                Some(_) => say_written(ui, "messages", &made.messages, &out),
                None => ui.say("no message written: the desk does not say who messages are from ([desk] from)"),
            }
        }
        DeskCommand::Answer { name, answer, dir } => {
            let answer = if answer == "agreed" { Answer::Agreed } else { Answer::Declined };
            let who = desk::answer(&dir, &language(&dir), &name, answer)?;
            ui.say(&format!("{who}: {}", answer.as_str()));
        }
        DeskCommand::Approve { slug, by, licence, photo, handle, dir } => {
            let checked = anthology::check(&dir)?;
            let loaded = &checked.loaded;
            let signed = state::signed(loaded);
            let Some(text) = signed.iter().find(|s| s.key == slug) else {
                bail!("no text has the slug `{slug}` (see `anthology list`; a translation is `<slug>.<lang>`)");
            };
            let essay = text.essay;
            let lang = loaded.config.as_ref().map_or("und", |c| c.language.as_str());
            let collation = anthology::lang::collate::Collation::new(lang);
            let Some(author) = text.people.iter().find(|a| collation.same(&a.name, &by)) else {
                let names: Vec<&str> = text.people.iter().map(|a| a.name.as_str()).collect();
                bail!("{by} does not sign `{slug}`: it is signed by {}", names.join(", "));
            };
            let approval = Approval {
                essay: slug.clone(),
                by: author.name.clone(),
                date: desk::today(),
                digest: state::digest(&loaded.root, essay),
                licence,
                photo: photo.map(|p| p == "yes"),
                handle: handle.map(|h| h == "yes"),
            };
            desk::proofs::keep_approved(&loaded.root, essay, &approval.digest)?;
            desk::approve(&dir, &approval).context("recording the approval")?;
            ui.say(&format!("{} approved `{slug}` as it is now ({})", author.name, &approval.digest[..15]));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The desk of the book at `dir`, which must have one.
fn load_desk(dir: &Path) -> Result<desk::Desk> {
    match desk::load(dir).map_err(|d| anyhow::anyhow!("{}: {}", desk::DESK_FILE, d.message))? {
        Some(d) => Ok(d),
        None => bail!("{} has no {}: start it with `anthology desk invite FILE`", dir.display(), desk::DESK_FILE),
    }
}

/// Says how many messages were written, and names those without an address.
fn say_written(ui: &super::ui::Ui, what: &str, written: &[(PathBuf, bool)], out: &Path) {
    for (message, addressed) in written {
        if !addressed {
            ui.say(&format!("{}: no address known (add it to desk.toml or the front matter)", message.display()));
        }
    }
    ui.say(&format!("{} {what}: {}", written.len(), out.join("messages.csv").display()));
}

/// The language of the book at `dir`, for comparing names.
fn language(dir: &Path) -> String {
    let (config, _, _) = anthology::config::load(dir);
    config.map_or("und".to_string(), |c| c.language)
}
