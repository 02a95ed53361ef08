//! Punctuation normalization by regional convention (issue: Punctuation).
