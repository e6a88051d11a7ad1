//! The model every stage shares, and nothing else: plain data with no I/O.
//!
//! [`document`] is an essay's text as an owned tree; [`book`] holds the texts,
//! their authors and, once ordered, the read-only [`book::Book`] that every
//! edition renders; [`credit`] is what an author did for an essay;
//! [`asset`] is a file the book references, once resolved.

pub mod asset;
pub mod book;
pub mod credit;
pub mod document;
