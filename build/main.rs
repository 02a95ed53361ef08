//! Build script: compiles the language data in `data/` into compact binary tables in `OUT_DIR`.
//!
//! Nothing is parsed from text at run time; the library embeds these tables with
//! `include_bytes!`. Each data family has its own module here.

mod charmodel;
/// The hashes the engine reads the tables by: one source for both sides.
#[path = "../src/convert/hash.rs"]
mod hash;
mod opencc;
mod punct;
mod script;
mod target;
mod util;

fn main() {
    let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let manifest = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("dir"));
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=src/convert/hash.rs");
    opencc::build(&manifest.join("data/opencc"), &out_dir);
    script::build(
        &manifest.join("data/opencc/dictionary"),
        &manifest.join("data/jieba/words.txt"),
        &out_dir,
    );
    punct::build(&manifest.join("data/punct"), &out_dir);
    charmodel::build(
        &manifest.join("data/charmodel"),
        &manifest.join("data/opencc/dictionary/TWVariants.txt"),
        &manifest.join("data/opencc/dictionary/TWPhrases.txt"),
        &out_dir,
    );
    target::build(&manifest, &out_dir);
}
