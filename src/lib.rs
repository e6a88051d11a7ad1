//! `anthology` turns a multi-author anthology into finished books.
//!
//! The pipeline is a sequence of plain functions over one [`model`]:
//!
//! 1. [`input`]: read `book.toml` ([`config`]) and every contribution in
//!    parallel (front matter, Markdown into a [`model::document`], images
//!    resolved safely);
//! 2. [`check`](mod@check): every rule, every [`diagnostic`] at once (glyph coverage
//!    from [`fonts`], citation styles from [`cite`], DOIs, ISBNs and ORCID
//!    iDs from [`identifiers`]);
//! 3. [`order`]: arrange the essays into a read-only [`model::book::Book`],
//!    with the contributor index sorted by the language's collation and the
//!    language's typography applied to every text once ([`lang`]), and
//!    every citation and bibliography set in its style ([`cite`]);
//! 4. [`build`]: render the [`editions`] from `&Book`, concurrently, and
//!    write each atomically ([`files`]), keeping work in the [`cache`];
//! 5. [`release`]: checksums and a manifest beside the editions.
//!
//! [`check()`] runs stages 1 and 2 for `anthology check`; [`prepare`] runs
//! 1 to 3 for `anthology build` (both in [`pipeline`]). [`live`] rebuilds
//! after each edit and serves the site; [`scaffold`] starts new books.
//! Imports point one way, from the later stages to the earlier ones and the
//! model; `tests/architecture.rs` checks it.

#![warn(missing_docs)]

pub mod build;
pub mod cache;
pub mod check;
pub mod cite;
pub mod config;
pub mod desk;
pub mod diagnostic;
pub mod doing;
pub mod editions;
pub mod files;
pub mod fonts;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod identifiers;
pub mod import;
pub mod input;
pub mod lang;
pub mod live;
pub mod model;
pub mod order;
pub mod pipeline;
pub mod release;
pub mod scaffold;
#[cfg(any(test, feature = "synth"))]
pub mod synth;

pub use pipeline::{Changes, CheckChangedError, Checked, check, check_changed, prepare, prepare_editions};
