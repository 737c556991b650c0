//! Reading untrusted JSON into domain values, naming the exact field that failed.
//!
//! A request body is parsed once into `serde_json::Value` by the edge; the domain then
//! reads each field it knows through a [`Reader`], which collects every problem with
//! its JSON path (`contact.phone`, `memberships[1].since`) and refuses fields it does
//! not know, so a typo never passes silently.

use crate::problem::{FieldError, Problem};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// Collects field errors while reading an object.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: impl Into<String>, detail: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            detail: detail.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many failures so far (to tell whether one part of a body added any).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when nothing failed, else a validation problem naming every field.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Problem> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(Problem::invalid_fields(self.0))
        }
    }
}

/// Whether a text may span several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, codes, titles: no control character at all.
    Single,
    /// Notes and reasons: line feeds and tabs allowed, no other control character.
    Multi,
}

/// The control character `s` contains that `lines` does not allow, if any (C0, DEL and
/// C1; `\n` and `\t` only for multi-line text).
pub fn forbidden_control(s: &str, lines: Lines) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !(lines == Lines::Multi && matches!(c, '\n' | '\t')))
}

/// Check one JSON value as a text of `min..=max` characters (after trimming surrounding
/// white space). Too long is refused, never cut.
pub fn checked_text(
    field: &str,
    value: &Value,
    min: usize,
    max: usize,
    lines: Lines,
    errors: &mut Errors,
) -> Option<String> {
    match value {
        Value::String(s) => {
            let s = s.trim();
            let n = s.chars().count();
            if let Some(c) = forbidden_control(s, lines) {
                errors.push(field, format!("不得包含控制字符（U+{:04X}）", u32::from(c)));
            } else if n < min {
                errors.push(field, format!("长度不得少于{min}个字符"));
            } else if n > max {
                errors.push(field, format!("长度不得超过{max}个字符（现为{n}个）"));
            } else {
                return Some(s.to_owned());
            }
            None
        }
        _ => {
            errors.push(field, "应为字符串");
            None
        }
    }
}

/// Reads the fields of one JSON object at a path.
pub struct Reader<'a> {
    path: String,
    object: Option<&'a Map<String, Value>>,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

impl<'a> Reader<'a> {
    /// The top-level body: it must be a JSON object.
    pub fn root(value: &'a Value, errors: &mut Errors) -> Reader<'a> {
        Self::at(String::new(), value, errors)
    }

    fn at(path: String, value: &'a Value, errors: &mut Errors) -> Reader<'a> {
        match value {
            Value::Object(map) => Reader {
                path,
                object: Some(map),
            },
            _ => {
                let field = if path.is_empty() {
                    "$".to_owned()
                } else {
                    path.clone()
                };
                errors.push(field, "应为 JSON 对象");
                Reader { path, object: None }
            }
        }
    }

    /// Refuse any field not in `known`.
    pub fn deny_unknown(&self, known: &[&str], errors: &mut Errors) {
        if let Some(map) = self.object {
            for key in map.keys() {
                if !known.contains(&key.as_str()) {
                    errors.push(join(&self.path, key), "不认识的字段");
                }
            }
        }
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.object
            .and_then(|m| m.get(name))
            .filter(|v| !v.is_null())
    }

    /// A required text, trimmed, of `min..=max` characters, without control characters.
    pub fn text(&self, name: &str, min: usize, max: usize, errors: &mut Errors) -> String {
        self.required(name, errors, |r, e| r.optional_text(name, min, max, e))
    }

    /// A required multi-line text (notes, reasons): as [`Reader::text`], but line
    /// breaks (`\n`) and tabs are allowed.
    pub fn multiline_text(
        &self,
        name: &str,
        min: usize,
        max: usize,
        errors: &mut Errors,
    ) -> String {
        self.required(name, errors, |r, e| {
            r.optional_multiline_text(name, min, max, e)
        })
    }

    fn required(
        &self,
        name: &str,
        errors: &mut Errors,
        read: impl FnOnce(&Self, &mut Errors) -> Option<String>,
    ) -> String {
        read(self, errors).unwrap_or_else(|| {
            if self.object.is_some() && self.get(name).is_none() {
                errors.push(join(&self.path, name), "必填字段缺失");
            }
            String::new()
        })
    }

    /// An optional text with the same rules as [`Reader::text`].
    pub fn optional_text(
        &self,
        name: &str,
        min: usize,
        max: usize,
        errors: &mut Errors,
    ) -> Option<String> {
        let field = join(&self.path, name);
        let value = self.get(name)?;
        checked_text(&field, value, min, max, Lines::Single, errors)
    }

    /// An optional multi-line text with the rules of [`Reader::multiline_text`].
    pub fn optional_multiline_text(
        &self,
        name: &str,
        min: usize,
        max: usize,
        errors: &mut Errors,
    ) -> Option<String> {
        let field = join(&self.path, name);
        let value = self.get(name)?;
        checked_text(&field, value, min, max, Lines::Multi, errors)
    }

    /// An optional whole number in `min..=max`.
    pub fn optional_u64(&self, name: &str, min: u64, max: u64, errors: &mut Errors) -> Option<u64> {
        let field = join(&self.path, name);
        match self.get(name)? {
            Value::Number(n) => match n.as_u64() {
                Some(v) if (min..=max).contains(&v) => Some(v),
                _ => {
                    errors.push(field, format!("应为 {min} 至 {max} 之间的整数"));
                    None
                }
            },
            _ => {
                errors.push(field, format!("应为 {min} 至 {max} 之间的整数"));
                None
            }
        }
    }

    /// A required boolean `true` or `false`.
    pub fn required_flag(&self, name: &str, errors: &mut Errors) -> Option<bool> {
        match self.get(name) {
            None => {
                if self.object.is_some() {
                    errors.push(join(&self.path, name), "必填字段缺失（true 或 false）");
                }
                None
            }
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                errors.push(join(&self.path, name), "应为布尔值 true 或 false");
                None
            }
        }
    }

    /// An optional array of texts (single-line, `min..=max` characters each), at most
    /// `max_items` long. Nothing is coerced: a non-string element is an error.
    pub fn texts(
        &self,
        name: &str,
        max_items: usize,
        min: usize,
        max: usize,
        errors: &mut Errors,
    ) -> Vec<String> {
        let field = join(&self.path, name);
        match self.get(name) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.len() > max_items => {
                errors.push(field, format!("最多{max_items}项"));
                Vec::new()
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    checked_text(&format!("{field}[{i}]"), v, min, max, Lines::Single, errors)
                })
                .collect(),
            Some(_) => {
                errors.push(field, "应为字符串数组");
                Vec::new()
            }
        }
    }

    /// The raw value of a field (absent and `null` are `None`).
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.get(name)
    }

    /// The fields of this object, each with the path it would be reported under.
    pub fn entries(&self) -> Vec<(&'a str, String, &'a Value)> {
        self.object
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str(), join(&self.path, k), v))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A nested object under a dynamic key (as returned by [`Reader::entries`]).
    pub fn nested(path: String, value: &'a Value, errors: &mut Errors) -> Option<Reader<'a>> {
        let r = Reader::at(path, value, errors);
        r.object.is_some().then_some(r)
    }

    /// A required calendar date `YYYY-MM-DD`.
    pub fn date(&self, name: &str, errors: &mut Errors) -> Option<NaiveDate> {
        let field = join(&self.path, name);
        match self.get(name) {
            None if self.object.is_some() => {
                errors.push(field, "必填字段缺失");
                None
            }
            None => None,
            Some(Value::String(s)) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(field, "日期格式应为 YYYY-MM-DD");
                    None
                }
            },
            Some(_) => {
                errors.push(field, "应为日期字符串（YYYY-MM-DD）");
                None
            }
        }
    }

    /// An optional boolean (default false).
    pub fn flag(&self, name: &str, errors: &mut Errors) -> bool {
        match self.get(name) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                errors.push(join(&self.path, name), "应为布尔值 true 或 false");
                false
            }
        }
    }

    /// A required nested object.
    pub fn object(&self, name: &str, errors: &mut Errors) -> Option<Reader<'a>> {
        let field = join(&self.path, name);
        match self.get(name) {
            None => {
                if self.object.is_some() {
                    errors.push(field, "必填字段缺失");
                }
                None
            }
            Some(v) => {
                let r = Reader::at(field, v, errors);
                r.object.is_some().then_some(r)
            }
        }
    }

    /// An optional nested object: absent or `null` is `None`, any other non-object an
    /// error.
    pub fn object_if_present(&self, name: &str, errors: &mut Errors) -> Option<Reader<'a>> {
        let v = self.get(name)?;
        let r = Reader::at(join(&self.path, name), v, errors);
        r.object.is_some().then_some(r)
    }

    /// A required whole number in `min..=max`.
    pub fn required_u64(&self, name: &str, min: u64, max: u64, errors: &mut Errors) -> Option<u64> {
        if self.get(name).is_none() {
            if self.object.is_some() {
                errors.push(join(&self.path, name), "必填字段缺失");
            }
            return None;
        }
        self.optional_u64(name, min, max, errors)
    }

    /// An optional array of objects, at most `max` long.
    pub fn objects(&self, name: &str, max: usize, errors: &mut Errors) -> Vec<Reader<'a>> {
        let field = join(&self.path, name);
        match self.get(name) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.len() > max => {
                errors.push(field, format!("最多{max}项"));
                Vec::new()
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Reader::at(format!("{field}[{i}]"), v, errors))
                .filter(|r| r.object.is_some())
                .collect(),
            Some(_) => {
                errors.push(field, "应为数组");
                Vec::new()
            }
        }
    }

    pub fn path_of(&self, name: &str) -> String {
        join(&self.path, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(errors: Errors) -> Vec<String> {
        errors.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn texts_refuse_wrong_types_control_characters_and_excess_length_naming_the_field() {
        let body = json!({
            "name": 5, "bell": "a\u{0007}b", "c1": "a\u{0085}b", "del": "a\u{007f}b",
            "long": "长".repeat(11), "ok": "  名称  ", "note": "第一行\n\t第二行",
            "note_cr": "a\rb", "extra": 1,
        });
        let mut e = Errors::default();
        let r = Reader::root(&body, &mut e);
        r.deny_unknown(
            &["name", "bell", "c1", "del", "long", "ok", "note", "note_cr"],
            &mut e,
        );
        assert_eq!(r.optional_text("name", 1, 10, &mut e), None);
        assert_eq!(r.optional_text("bell", 1, 10, &mut e), None);
        assert_eq!(r.optional_text("c1", 1, 10, &mut e), None);
        assert_eq!(r.optional_text("del", 1, 10, &mut e), None);
        assert_eq!(r.optional_text("long", 1, 10, &mut e), None, "never cut");
        assert_eq!(r.text("ok", 1, 10, &mut e), "名称");
        // Line feeds and tabs only where several lines are legitimate.
        assert_eq!(r.optional_text("note", 1, 20, &mut e), None);
        assert_eq!(r.multiline_text("note", 1, 20, &mut e), "第一行\n\t第二行");
        assert_eq!(r.optional_multiline_text("note_cr", 1, 20, &mut e), None);
        assert_eq!(
            fields(e),
            [
                "extra", "name", "bell", "c1", "del", "long", "note", "note_cr"
            ]
        );
    }

    #[test]
    fn numbers_flags_and_lists_are_never_coerced() {
        let body = json!({
            "version": "3", "neg": -1, "v": 7, "flag": "true", "yes": true,
            "docs": ["a.pdf", 2, "b\u{0000}"], "many": ["a", "b", "c"], "not_list": "a.pdf",
        });
        let mut e = Errors::default();
        let r = Reader::root(&body, &mut e);
        assert_eq!(r.optional_u64("version", 1, 10, &mut e), None);
        assert_eq!(r.optional_u64("neg", 1, 10, &mut e), None);
        assert_eq!(r.optional_u64("v", 1, 10, &mut e), Some(7));
        assert_eq!(r.required_flag("flag", &mut e), None);
        assert_eq!(r.required_flag("yes", &mut e), Some(true));
        assert_eq!(r.required_flag("absent", &mut e), None);
        assert_eq!(r.texts("docs", 5, 1, 10, &mut e), ["a.pdf"]);
        assert!(r.texts("many", 2, 1, 10, &mut e).is_empty());
        assert!(r.texts("not_list", 2, 1, 10, &mut e).is_empty());
        assert_eq!(
            fields(e),
            [
                "version", "neg", "flag", "absent", "docs[1]", "docs[2]", "many", "not_list"
            ]
        );
    }
}
