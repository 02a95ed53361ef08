//! `zhfix fix`: detect, decode, repair; optionally convert the script and normalize punctuation.

use zhfix::detect::Encoding;
use zhfix::pipeline::{OutputEncoding, Pipeline};
use zhfix::punct::Style;
use zhfix::target::Target;
use zhfix::Error;

use super::io::IoArgs;
use super::report;

#[derive(clap::Args)]
pub struct FixArgs {
    /// Convert the script, span by span (mixed input is fine): zh-Hans, zh-Hant, zh-TW, zh-HK, zh-CN; aliases hans, hant, tw, hk, cn.
    #[arg(long, value_name = "TARGET")]
    to: Option<String>,
    /// Punctuation style: keep (default), zh-Hans (full-width in CJK context, “” ‘’ quotes), zh-TW / zh-HK (full-width, 「」 『』 quotes).
    #[arg(long, value_name = "STYLE", default_value = "keep")]
    punct: String,
    /// Remove inline pronunciation annotations such as 現(xiàn).
    #[arg(long)]
    strip_annotations: bool,
    /// Remove stray HTML tags and decode entities left in plain text.
    #[arg(long)]
    strip_markup: bool,
    /// Every cleanup that needs no target (--strip-annotations --strip-markup).
    #[arg(long)]
    all: bool,
    /// Skip detection and decode as ENCODING (a WHATWG label: gbk, big5, utf-16le, ...).
    #[arg(long, value_name = "ENCODING")]
    from: Option<String>,
    /// Output encoding: utf-8 (default), keep (the input's encoding), or a name; characters the encoding cannot hold are an error, never a `?`.
    #[arg(long, value_name = "ENCODING", default_value = "utf-8")]
    output_encoding: String,
    #[command(flatten)]
    io: IoArgs,
}

fn encoding(name: &str) -> Result<Encoding, Error> {
    Encoding::for_label(name).ok_or_else(|| Error::UnknownEncoding {
        name: name.to_string(),
    })
}

fn usage(message: String) -> i32 {
    eprintln!("zhfix: {message}");
    2
}

pub fn run(args: FixArgs) -> i32 {
    let mut builder = Pipeline::builder()
        .strip_annotations(args.strip_annotations || args.all)
        .strip_markup(args.strip_markup || args.all);
    if let Some(to) = &args.to {
        match to.parse::<Target>() {
            Ok(target) => builder = builder.to(target),
            Err(e) => return usage(e.to_string()),
        }
    }
    match args.punct.parse::<Style>() {
        Ok(style) => builder = builder.punct(style),
        Err(e) => return usage(e.to_string()),
    }
    if let Some(from) = &args.from {
        match encoding(from) {
            Ok(enc) => builder = builder.from(enc),
            Err(e) => return report(&e),
        }
    }
    let output_encoding = match args.output_encoding.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => OutputEncoding::Utf8,
        "keep" => OutputEncoding::Keep,
        name => match encoding(name) {
            Ok(enc) => OutputEncoding::Named(enc),
            Err(e) => return report(&e),
        },
    };
    let pipeline = builder.output_encoding(output_encoding).build();
    zhfix::batch::run(&args.io.options(), &args.io.paths, &pipeline).exit_code()
}
