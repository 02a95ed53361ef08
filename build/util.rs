//! Helpers shared by the build-script modules: writing little tables in target byte order.

use std::io::Write;
use std::path::Path;

fn big_endian() -> bool {
    std::env::var("CARGO_CFG_TARGET_ENDIAN")
        .map(|e| e == "big")
        .unwrap_or(false)
}

pub fn write_u16s(path: &Path, data: &[u16]) {
    let be = big_endian();
    let bytes: Vec<u8> = data
        .iter()
        .flat_map(|v| if be { v.to_be_bytes() } else { v.to_le_bytes() })
        .collect();
    write_bytes(path, &bytes);
}

#[allow(dead_code)] // kept for other data families
pub fn write_u32s(path: &Path, data: &[u32]) {
    let be = big_endian();
    let bytes: Vec<u8> = data
        .iter()
        .flat_map(|v| if be { v.to_be_bytes() } else { v.to_le_bytes() })
        .collect();
    write_bytes(path, &bytes);
}

pub fn write_u64s(path: &Path, data: &[u64]) {
    let be = big_endian();
    let bytes: Vec<u8> = data
        .iter()
        .flat_map(|v| if be { v.to_be_bytes() } else { v.to_le_bytes() })
        .collect();
    write_bytes(path, &bytes);
}

pub fn write_bytes(path: &Path, data: &[u8]) {
    let mut f = std::fs::File::create(path).expect("create table file");
    f.write_all(data).expect("write table file");
}
