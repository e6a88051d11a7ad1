//! `anthology watch`: build, then rebuild after every change until interrupted.

use std::process::ExitCode;

use anthology::diagnostic::Format;
use anthology::live::watch::{Rebuild, Watcher};
use anyhow::Result;

use super::Target;
use super::ui::{Ui, has_errors, plural, print_outcome, print_report};

/// `anthology watch`.
pub fn run(ui: &Ui, target: &Target) -> Result<ExitCode> {
    let dir = &target.dir;
    let mut watcher = Watcher::new(dir, &dir.join(&target.out), target.chosen(), target.drafts).screen(target.screen);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut first = true;
    watcher.run(std::time::Duration::from_millis(200), &stop, |built| {
        let shown = match built {
            Ok(Rebuild::Built { outcome, report, essays, time, site_first }) => print_report(&report, Format::Human)
                .and_then(|()| print_outcome(ui, dir, &outcome).map(|_| ()))
                .map(|()| {
                    if let Some(t) = site_first {
                        ui.say(&format!(
                            "the website was rewritten {:.2} s after the change, with the last PDF's page numbers",
                            t.as_secs_f64()
                        ));
                    }
                    ui.say(&format!(
                        "{essays} essay{} checked and built in {:.2} s",
                        plural(essays),
                        time.as_secs_f64()
                    ))
                }),
            Ok(Rebuild::Errors(report)) => print_report(&report, Format::Human)
                .map(|()| eprintln!("{}; the last good editions stay", has_errors(&report))),
            Err(e) => {
                eprintln!("error: {e}; the last good editions stay");
                Ok(())
            }
        };
        if let Err(e) = shown {
            eprintln!("error: {e}");
        }
        if std::mem::take(&mut first) {
            ui.say(&format!("watching {} for changes (Ctrl-C to stop)", dir.display()));
        }
    });
    Ok(ExitCode::SUCCESS)
}
