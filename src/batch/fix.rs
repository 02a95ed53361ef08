//! `zhfix fix`'s transform: the [`Pipeline`] on whole files, JSONL fields and streams. The
//! report part names the encoding, the script and every repair.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use serde_json::{json, Map, Value};

use super::{Outcome, Transform};
use crate::detect::detect_script;
use crate::pipeline::Pipeline;
use crate::Error;

impl Transform for Pipeline {
    fn apply(&self, input: &[u8], label: &str) -> Result<Outcome, Error> {
        let doc = self.fix_bytes(input, label)?;
        let mut report = Map::new();
        report.insert("encoding".into(), Value::from(doc.encoding.name()));
        if let Some(detection) = doc.detection {
            report.insert("confidence".into(), json!(round3(detection.confidence)));
        }
        let script = std::str::from_utf8(&doc.output).map(|text| detect_script(text).script);
        if let Ok(script) = script {
            report.insert("script_out".into(), Value::from(script.name()));
        }
        report.insert("decode_errors".into(), Value::from(doc.decode_errors));
        let mut by_family: BTreeMap<&str, usize> = BTreeMap::new();
        for repair in &doc.repairs {
            *by_family.entry(repair.kind.name()).or_default() += 1;
        }
        report.insert("repairs_by_family".into(), json!(by_family));
        let repairs: Vec<Value> = doc
            .repairs
            .iter()
            .map(|r| {
                json!({"kind": r.kind.name(), "start": r.start, "end": r.end,
                       "before": r.before, "after": r.after})
            })
            .collect();
        report.insert("repairs".into(), Value::Array(repairs));
        Ok(Outcome {
            output: doc.output,
            report,
        })
    }

    /// Without the report part, which reads the whole output again for its script.
    fn apply_unreported(&self, input: &[u8], label: &str) -> Result<Outcome, Error> {
        let doc = self.fix_bytes(input, label)?;
        Ok(Outcome {
            output: doc.output,
            report: Map::new(),
        })
    }

    fn apply_text(&self, text: &str, _label: &str) -> Result<String, Error> {
        Ok(self.fix(text).into_owned())
    }

    fn stream(
        &self,
        reader: &mut dyn Read,
        writer: &mut dyn Write,
        label: &str,
    ) -> Result<(), Error> {
        self.fix_stream(reader, writer, label).map(|_| ())
    }
}

fn round3(x: f32) -> f64 {
    (x as f64 * 1000.0).round() / 1000.0
}
