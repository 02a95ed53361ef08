//! The bottom floor: the tables `build.rs` compiled from `data/`, embedded in the binary.
//!
//! Every table is a little-endian (target-endian) array written by the build script and
//! included with `include_bytes!`; nothing here parses text.

/// Aligns an embedded byte array so it can be viewed as `u16`/`u32`/`u64` words.
#[repr(C, align(8))]
pub(crate) struct Aligned<T: ?Sized>(pub T);

macro_rules! embed {
    ($name:ident, $file:literal) => {
        pub(crate) static $name: &Aligned<[u8]> =
            &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/", $file)));
    };
}

/// OpenCC dictionaries and configs (see `build/opencc.rs` for the format).
pub(crate) mod opencc {
    use super::Aligned;

    embed!(LEVEL1, "opencc_level1.bin");
    embed!(LEVEL3, "opencc_level3.bin");
    embed!(PAGES, "opencc_pages.bin");
    embed!(CHECKS, "opencc_checks.bin");
    embed!(PAIRS, "opencc_pairs.bin");
    embed!(PAYLOADS, "opencc_payloads.bin");
    embed!(CANDS, "opencc_cands.bin");
    embed!(FILTERS, "opencc_filters.bin");
    embed!(SINGLE, "opencc_single.bin");
    embed!(STRINGS, "opencc_strings.bin");

    /// Where one flattened dictionary lives in the shared arrays.
    pub(crate) struct DictDesc {
        pub level1: usize,
        pub level3: usize,
        pub da_start: usize,
        pub da_bits: u32,
        pub ascii: u128,
        pub ascii_window: usize,
        /// Some key has a three-byte first character and an ASCII second one.
        pub ascii_second: bool,
        /// The engine checks every bigram, not only after a `PHRASE` (tables with many).
        pub dense: bool,
        /// Plain tables with sparse phrase checks: their two pair filters.
        pub sparse: Option<SparseDesc>,
    }

    /// The pair filters of a table with sparse phrase checks, in `FILTERS` (start in words,
    /// size as a power of two in bits).
    #[derive(Clone, Copy)]
    pub(crate) struct SparseDesc {
        pub differ: usize,
        pub differ_bits: u32,
        pub inner: usize,
        pub inner_bits: u32,
    }

    /// One OpenCC config: the first table the engine scans with, and the chain stages applied
    /// to unmatched runs (segmented configs) or to the whole text (unsegmented ones).
    pub(crate) struct PlanDesc {
        #[cfg_attr(not(test), allow(dead_code))]
        pub name: &'static str,
        pub title: &'static str,
        pub first: usize,
        pub segmented: bool,
        pub stages: &'static [usize],
        /// Segmented configs whose chain composes into one map: its pulled-back phrases.
        pub composed: Option<usize>,
    }

    include!(concat!(env!("OUT_DIR"), "/opencc_tables.rs"));
}

/// Per-character classes for script and encoding detection (see `build/script.rs`).
pub(crate) mod script {
    use super::Aligned;

    embed!(INDEX, "script_index.bin");
    embed!(PAGES, "script_pages.bin");
    embed!(BMP, "script_bmp.bin");
    embed!(COMBO_BMP, "combo_bmp.bin");
    embed!(COMBO_WORDS, "combo_words.bin");

    include!(concat!(env!("OUT_DIR"), "/script_phrases.rs"));
}

/// The repair scorer's character model (see `build/charmodel.rs` for the format).
pub(crate) mod charmodel {
    use super::Aligned;

    embed!(UNI, "charmodel_uni.bin");
    embed!(BI_KEYS, "charmodel_bi_keys.bin");
    embed!(BI_VALS, "charmodel_bi_vals.bin");
    embed!(COMMON, "charmodel_common.bin");

    include!(concat!(env!("OUT_DIR"), "/charmodel_tables.rs"));
}

/// Lexicons of target-script conversion (see `build/target.rs` for the format).
pub(crate) mod target {
    use super::Aligned;

    embed!(S_TABLE, "target_s_table.bin");
    embed!(S_SINGLE, "target_s_single.bin");
    embed!(S_OUTS, "target_s_outs.bin");
    embed!(T_TABLE, "target_t_table.bin");
    embed!(T_SINGLE, "target_t_single.bin");
    embed!(T_OUTS, "target_t_outs.bin");
    embed!(POOL, "target_pool.bin");
    embed!(CLASS, "target_class.bin");
    embed!(S_INNER, "target_s_inner.bin");
    embed!(T_INNER, "target_t_inner.bin");
    embed!(FAST_OUT_S0, "target_fast_out_s0.bin");
    embed!(FAST_FLAGS_S0A, "target_fast_flags_s0a.bin");
    embed!(FAST_FLAGS_S0B, "target_fast_flags_s0b.bin");
    embed!(TRIG_S0, "target_trig_s0.bin");
    embed!(CHOSEN_S0, "target_chosen_s0.bin");
    embed!(CHOSEN_WORDS_S0, "target_chosen_words_s0.bin");
    embed!(RUN_S0A, "target_run_s0a.bin");
    embed!(RUN_S0B, "target_run_s0b.bin");
    embed!(FAST_BOTH_T0, "target_fast_both_t0.bin");
    embed!(FAST_BOTH_T1, "target_fast_both_t1.bin");
    embed!(FAST_BOTH_T2, "target_fast_both_t2.bin");
    embed!(RUN_SIG_T0, "target_run_sig_t0.bin");
    embed!(RUN_SIG_T1, "target_run_sig_t1.bin");
    embed!(RUN_SIG_T2, "target_run_sig_t2.bin");
    embed!(FAST_OUT_T0, "target_fast_out_t0.bin");
    embed!(FAST_FLAGS_T0A, "target_fast_flags_t0a.bin");
    embed!(FAST_FLAGS_T0B, "target_fast_flags_t0b.bin");
    embed!(TRIG_T0, "target_trig_t0.bin");
    embed!(CHOSEN_T0, "target_chosen_t0.bin");
    embed!(CHOSEN_WORDS_T0, "target_chosen_words_t0.bin");
    embed!(RUN_T0A, "target_run_t0a.bin");
    embed!(RUN_T0B, "target_run_t0b.bin");
    embed!(FAST_OUT_T1, "target_fast_out_t1.bin");
    embed!(FAST_FLAGS_T1A, "target_fast_flags_t1a.bin");
    embed!(FAST_FLAGS_T1B, "target_fast_flags_t1b.bin");
    embed!(TRIG_T1, "target_trig_t1.bin");
    embed!(CHOSEN_T1, "target_chosen_t1.bin");
    embed!(CHOSEN_WORDS_T1, "target_chosen_words_t1.bin");
    embed!(RUN_T1A, "target_run_t1a.bin");
    embed!(RUN_T1B, "target_run_t1b.bin");
    embed!(FAST_OUT_T2, "target_fast_out_t2.bin");
    embed!(FAST_FLAGS_T2A, "target_fast_flags_t2a.bin");
    embed!(FAST_FLAGS_T2B, "target_fast_flags_t2b.bin");
    embed!(TRIG_T2, "target_trig_t2.bin");
    embed!(CHOSEN_T2, "target_chosen_t2.bin");
    embed!(CHOSEN_WORDS_T2, "target_chosen_words_t2.bin");
    embed!(RUN_T2A, "target_run_t2a.bin");
    embed!(RUN_T2B, "target_run_t2b.bin");
    embed!(FAST_OUT_T3, "target_fast_out_t3.bin");
    embed!(FAST_FLAGS_T3A, "target_fast_flags_t3a.bin");
    embed!(FAST_FLAGS_T3B, "target_fast_flags_t3b.bin");
    embed!(TRIG_T3, "target_trig_t3.bin");
    embed!(CHOSEN_T3, "target_chosen_t3.bin");
    embed!(CHOSEN_WORDS_T3, "target_chosen_words_t3.bin");
    embed!(RUN_T3A, "target_run_t3a.bin");
    embed!(RUN_T3B, "target_run_t3b.bin");
    embed!(FAST_OUT_T4, "target_fast_out_t4.bin");
    embed!(FAST_FLAGS_T4A, "target_fast_flags_t4a.bin");
    embed!(FAST_FLAGS_T4B, "target_fast_flags_t4b.bin");
    embed!(TRIG_T4, "target_trig_t4.bin");
    embed!(CHOSEN_T4, "target_chosen_t4.bin");
    embed!(CHOSEN_WORDS_T4, "target_chosen_words_t4.bin");
    embed!(RUN_T4A, "target_run_t4a.bin");
    embed!(RUN_T4B, "target_run_t4b.bin");
    embed!(FAST_OUT_T5, "target_fast_out_t5.bin");
    embed!(FAST_FLAGS_T5A, "target_fast_flags_t5a.bin");
    embed!(FAST_FLAGS_T5B, "target_fast_flags_t5b.bin");
    embed!(TRIG_T5, "target_trig_t5.bin");
    embed!(CHOSEN_T5, "target_chosen_t5.bin");
    embed!(CHOSEN_WORDS_T5, "target_chosen_words_t5.bin");
    embed!(RUN_T5A, "target_run_t5a.bin");
    embed!(RUN_T5B, "target_run_t5b.bin");

    include!(concat!(env!("OUT_DIR"), "/target_tables.rs"));
}
