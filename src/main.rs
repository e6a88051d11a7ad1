//! The `anthology` command: parses the command line and hands it to [`cli`].
//!
//! A fault of the program's own (a panic) never reaches the user as Rust's
//! message and backtrace: it is told as an internal error that says what
//! was being done ([`anthology::doing`]), that the book is not to blame,
//! and what to send in a report; the command then exits with
//! [`INTERNAL_ERROR`]. Every file is written through a temporary one and a
//! rename, so nothing half-written is left behind.

mod cli;

use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;

/// The exit code of an internal error (`EX_SOFTWARE` of sysexits.h): not 1,
/// which says the book has errors, nor 2, which says the command line has.
const INTERNAL_ERROR: u8 = 70;

/// The first fault, as the panic hook saw it: what was being done, the
/// message, where in the program.
static FAULT: Mutex<Option<(Option<String>, String, String)>> = Mutex::new(None);

/// glibc gives a thread that allocates while another holds an arena an
/// arena of its own, up to eight per core, and memory freed in one is never
/// used by another thread's. Two are enough for the build's threads: a cold
/// build of 1,000 essays peaked 138 MiB lower (1,619 MiB to 1,481), one of
/// 112 essays 61 MiB lower, each about 2 % slower. `MALLOC_ARENA_MAX`, when
/// set, is the user's choice and stays.
fn bound_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt sets one of the allocator's parameters; no other
        // thread has started yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

fn main() -> ExitCode {
    bound_arenas();
    std::panic::set_hook(Box::new(|info| {
        // A library's known failure on one input, told as a diagnostic.
        if anthology::doing::is_contained() {
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        let place = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        let mut fault = FAULT.lock().unwrap_or_else(|p| p.into_inner());
        if fault.is_none() {
            *fault = Some((anthology::doing::now(), message, place));
            // For the program's developers: RUST_BACKTRACE=1 shows where.
            let trace = std::backtrace::Backtrace::capture();
            if trace.status() == std::backtrace::BacktraceStatus::Captured {
                eprintln!("{trace}");
            }
        }
    }));
    match std::panic::catch_unwind(|| cli::run(cli::Cli::parse())) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            // A closed pipe (`anthology list | head`) is not a failure.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
        Err(_) => {
            let fault = FAULT.lock().unwrap_or_else(|p| p.into_inner()).take();
            let (doing, message, place) = fault.unwrap_or((None, "no message".into(), String::new()));
            let doing = doing.map(|d| format!(" while {d}")).unwrap_or_default();
            eprintln!("internal error: anthology stopped on a fault of its own{doing}");
            eprintln!("  = the fault: {message} ({place})");
            eprintln!("  = no file was left half-written: an edition being made keeps its previous version");
            eprintln!(
                "  = hint: this is a bug in anthology {}, not a mistake in the book: please report it to anthology's \
                 maintainers with this message and the file named above (or the smallest part of it that still fails)",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::from(INTERNAL_ERROR)
        }
    }
}
