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

    /// `Ok(value)` when nothing failed, else a validation problem naming every field.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Problem> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(Problem::invalid_fields(self.0))
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
        self.optional_text(name, min, max, errors)
            .unwrap_or_else(|| {
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
        match self.get(name)? {
            Value::String(s) => {
                let s = s.trim();
                let n = s.chars().count();
                if s.chars().any(char::is_control) {
                    errors.push(field, "不得包含控制字符");
                } else if n < min {
                    errors.push(field, format!("长度不得少于{min}个字符"));
                } else if n > max {
                    errors.push(field, format!("长度不得超过{max}个字符"));
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
