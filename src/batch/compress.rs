//! Compression chosen by file extension: `.gz` (flate2, pure-Rust miniz_oxide backend) and
//! `.zst` (ruzstd, pure Rust, decoding and "fastest"-level encoding). Both directions stream with
//! bounded memory: a small archive that expands to gigabytes is read piece by piece.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How a file is compressed, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// `.gz` → gzip, `.zst` / `.zstd` → zstd, anything else → none.
    pub fn from_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(e) if e.eq_ignore_ascii_case("zst") || e.eq_ignore_ascii_case("zstd") => {
                Compression::Zstd
            }
            _ => Compression::None,
        }
    }

    /// Wraps `inner` in the matching decoder.
    pub fn reader<'a, R: Read + 'a>(self, inner: R) -> io::Result<Box<dyn BufRead + 'a>> {
        Ok(match self {
            Compression::None => Box::new(BufReader::with_capacity(1 << 16, inner)),
            Compression::Gzip => Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, inner)),
            )),
            Compression::Zstd => {
                let decoder = zstd_frame(BufReader::with_capacity(1 << 16, inner))?;
                Box::new(BufReader::with_capacity(
                    1 << 16,
                    ZstdRead {
                        decoder: Some(decoder),
                    },
                ))
            }
        })
    }

    /// Wraps `inner` in the matching encoder; call [`Encoder::finish`] to complete the stream.
    pub fn writer<W: Write + Send + 'static>(self, inner: W) -> Encoder<W> {
        match self {
            Compression::None => Encoder::Plain(inner),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::fast(),
            )),
            Compression::Zstd => Encoder::Zstd(ZstdWriter::new(inner)),
        }
    }
}

type ZstdFrame<R> = ruzstd::decoding::StreamingDecoder<R, ruzstd::decoding::FrameDecoder>;

fn zstd_frame<R: Read>(inner: R) -> io::Result<ZstdFrame<R>> {
    ruzstd::decoding::StreamingDecoder::new(inner)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}")))
}

/// Decodes every frame of a `.zst` file in turn (ruzstd's decoder stops after one; files made
/// by `pzstd` or by concatenation have several), so nothing after the first frame is lost.
struct ZstdRead<R: BufRead> {
    decoder: Option<ZstdFrame<R>>,
}

impl<R: BufRead> Read for ZstdRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(decoder) = self.decoder.as_mut() else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            let mut inner = self.decoder.take().expect("present").into_inner();
            if inner.fill_buf()?.is_empty() {
                return Ok(0);
            }
            self.decoder = Some(zstd_frame(inner)?);
        }
    }
}

/// A compressing writer; [`finish`](Encoder::finish) returns the inner writer once the
/// compressed stream is complete.
pub enum Encoder<W: Write + Send + 'static> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(ZstdWriter<W>),
}

impl<W: Write + Send + 'static> Encoder<W> {
    pub fn finish(self) -> io::Result<W> {
        match self {
            Encoder::Plain(mut w) => {
                w.flush()?;
                Ok(w)
            }
            Encoder::Gzip(g) => g.finish(),
            Encoder::Zstd(z) => z.finish(),
        }
    }
}

impl<W: Write + Send + 'static> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(g) => g.write(buf),
            Encoder::Zstd(z) => z.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(buf),
            Encoder::Gzip(g) => g.write_all(buf),
            Encoder::Zstd(z) => z.write_all(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(g) => g.flush(),
            // A zstd frame can only be flushed at its end.
            Encoder::Zstd(_) => Ok(()),
        }
    }
}

/// Streams data into ruzstd's pull-based `FrameCompressor`, which runs on its own thread and
/// reads from a bounded channel (at most 4 chunks of 128 KiB in flight). ruzstd unwraps I/O
/// errors on its drain, so the drain here never fails: it records the first error, drops the
/// rest, and `finish` returns it.
pub struct ZstdWriter<W: Write + Send + 'static> {
    buf: Vec<u8>,
    tx: Option<SyncSender<Vec<u8>>>,
    thread: Option<JoinHandle<W>>,
    error: Arc<Mutex<Option<io::Error>>>,
}

const ZSTD_CHUNK: usize = 128 * 1024;

impl<W: Write + Send + 'static> ZstdWriter<W> {
    fn new(inner: W) -> ZstdWriter<W> {
        let (tx, rx) = sync_channel::<Vec<u8>>(4);
        let error = Arc::new(Mutex::new(None));
        let drain = Drain {
            inner,
            error: Arc::clone(&error),
        };
        let thread = std::thread::spawn(move || {
            let source = ChannelRead {
                rx,
                current: Vec::new(),
                pos: 0,
            };
            let mut compressor =
                ruzstd::encoding::FrameCompressor::new(ruzstd::encoding::CompressionLevel::Fastest);
            compressor.set_source(source);
            compressor.set_drain(drain);
            compressor.compress();
            compressor.take_drain().expect("drain was set").inner
        });
        ZstdWriter {
            buf: Vec::with_capacity(ZSTD_CHUNK),
            tx: Some(tx),
            thread: Some(thread),
            error,
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(ZSTD_CHUNK));
        let tx = self.tx.as_ref().expect("not finished");
        tx.send(chunk)
            .map_err(|_| io::Error::other("zstd compressor stopped"))?;
        self.take_error()
    }

    fn take_error(&self) -> io::Result<()> {
        match self.error.lock().map(|mut e| e.take()) {
            Ok(Some(e)) => Err(e),
            _ => Ok(()),
        }
    }

    fn finish(mut self) -> io::Result<W> {
        self.send()?;
        drop(self.tx.take());
        let thread = self.thread.take().expect("not finished");
        let mut inner = thread
            .join()
            .map_err(|_| io::Error::other("zstd compressor failed"))?;
        self.take_error()?;
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write + Send + 'static> Write for ZstdWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= ZSTD_CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write + Send + 'static> Drop for ZstdWriter<W> {
    fn drop(&mut self) {
        // Unfinished (an error elsewhere): let the thread end its frame and exit.
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct ChannelRead {
    rx: Receiver<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
}

impl Read for ChannelRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            match self.rx.recv() {
                Ok(chunk) => {
                    self.current = chunk;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

struct Drain<W: Write> {
    inner: W,
    error: Arc<Mutex<Option<io::Error>>>,
}

impl<W: Write> Write for Drain<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Ok(mut slot) = self.error.lock() {
            if slot.is_none() {
                if let Err(e) = self.inner.write_all(data) {
                    *slot = Some(e);
                }
            }
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(c: Compression, data: &[u8]) -> Vec<u8> {
        let mut enc = c.writer(Vec::new());
        for piece in data.chunks(1000) {
            enc.write_all(piece).unwrap();
        }
        let packed = enc.finish().unwrap();
        let mut out = Vec::new();
        c.reader(&packed[..])
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn gzip_and_zstd_round_trip() {
        let data: Vec<u8> = "汉字 text\n".repeat(50_000).into_bytes();
        for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
            assert_eq!(roundtrip(c, &data), data, "{c:?}");
            assert_eq!(roundtrip(c, b""), b"", "{c:?} empty");
        }
    }

    #[test]
    fn concatenated_zstd_frames_are_all_decoded() {
        let mut packed = Vec::new();
        for part in [&b"first\n"[..], b"", b"second\n"] {
            let mut enc = Compression::Zstd.writer(Vec::new());
            enc.write_all(part).unwrap();
            packed.extend(enc.finish().unwrap());
        }
        let mut out = Vec::new();
        Compression::Zstd
            .reader(&packed[..])
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"first\nsecond\n");
        let mut truncated = Vec::new();
        let r = Compression::Zstd
            .reader(&packed[..packed.len() - 3])
            .and_then(|mut r| r.read_to_end(&mut truncated));
        assert!(
            r.is_err(),
            "a truncated frame is an error, not a silent end"
        );
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        let mut enc = Compression::Gzip.writer(Vec::new());
        enc.write_all(&b"some text\n".repeat(1000)).unwrap();
        let packed = enc.finish().unwrap();
        let mut out = Vec::new();
        let r = Compression::Gzip
            .reader(&packed[..packed.len() - 5])
            .and_then(|mut r| r.read_to_end(&mut out));
        assert!(r.is_err());
    }

    #[test]
    fn extension_picks_the_codec() {
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.gz")),
            Compression::Gzip
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl.zst")),
            Compression::Zstd
        );
        assert_eq!(
            Compression::from_path(Path::new("a.jsonl")),
            Compression::None
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for c in [Compression::Gzip, Compression::Zstd] {
            let mut out = Vec::new();
            let r = c
                .reader(&b"not compressed at all"[..])
                .and_then(|mut r| r.read_to_end(&mut out));
            assert!(r.is_err(), "{c:?}");
        }
    }
}
