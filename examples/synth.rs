//! Generates synthetic books and portraits for benchmarks, scale tests and the
//! sample book.
//!
//! ```text
//! cargo run --release --example synth -- book /tmp/book112 --essays 112 --words 800 --lang fr
//! cargo run --release --example synth -- portrait contributions/x/portrait.png --seed 7
//! ```

use std::path::PathBuf;

use anthology::synth::{self, Settings};
use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, rest) = args
        .split_first()
        .context("usage: synth book OUT [options] | synth portrait OUT.png [--seed N] [--size PX]")?;
    let (out, opts) = rest.split_first().context("missing output path")?;
    let mut settings = Settings::default();
    let mut size = 800u32;
    let mut it = opts.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--essays" => settings.essays = value.parse()?,
            "--words" => settings.words = value.parse()?,
            "--lang" => settings.language = value.clone(),
            "--photo" => settings.photo_pixels = value.parse()?,
            "--sections" => settings.sections = value.parse()?,
            "--seed" => settings.seed = value.parse()?,
            "--citations" => {
                settings.citations = match value.as_str() {
                    "yes" => true,
                    "no" => false,
                    other => bail!("--citations takes yes or no, not {other}"),
                }
            }
            "--size" => size = value.parse()?,
            other => bail!("unknown option {other}"),
        }
    }
    let out = PathBuf::from(out);
    match mode.as_str() {
        "book" => {
            synth::generate(&out, &settings)?;
            println!("wrote a {}-essay book to {}", settings.essays, out.display());
        }
        "portrait" => {
            synth::portrait(settings.seed, size).save(&out)?;
            println!("wrote {}", out.display());
        }
        other => bail!("unknown mode {other}: use `book` or `portrait`"),
    }
    Ok(())
}
