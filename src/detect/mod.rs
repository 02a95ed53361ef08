//! Detection: the source encoding of bytes and the script of text (issue: Detection).
