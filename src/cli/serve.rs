//! `anthology serve`: `watch`, and the site on 127.0.0.1.

use std::process::ExitCode;

use anthology::diagnostic::Format;
use anyhow::Result;

use super::Target;
use super::ui::{print_report, tell};

/// `anthology serve`.
pub fn run(target: &Target, port: u16) -> Result<ExitCode> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let dir = &target.dir;
    anthology::live::serve::serve(
        dir,
        &dir.join(&target.out),
        target.chosen(),
        port,
        target.drafts,
        target.screen,
        stop,
        |message, report| {
            if let Some(r) = report {
                let _ = print_report(r, Format::Human);
            }
            tell(message);
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
