//! The book while it is being written: [`watch`] rebuilds the editions after
//! every change with one [`crate::build::Session`], and [`serve`] shows the
//! site it makes on 127.0.0.1, with pages that reload themselves.

pub mod serve;
pub mod watch;
