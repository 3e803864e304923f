//! nagare (流れ): model how personal information flows through a local government's systems,
//! find the gaps a privacy committee asks about, and draw the flow diagram for the paper.
#![forbid(unsafe_code)]
// Diagnostics are large on purpose (message, spans, help) and are returned once per file, never in a loop.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cli;
pub mod controls;
pub mod date;
pub mod diag;
pub mod diff;
pub mod glyphs;
pub mod graph;
pub mod inventory;
pub mod itemset;
pub mod markup;
pub mod model;
pub mod office;
pub mod outfile;
pub mod packet;
pub mod pia;
pub mod render;
pub mod report;
pub mod ronfast;
pub mod ronfile;
pub mod rules;
pub mod synth;
pub mod term;
